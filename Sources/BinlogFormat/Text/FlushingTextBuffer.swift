/// A ``TextBuffer`` that hands its bytes on whenever it holds `limit` of them, so that the rows of one huge event
/// (a row event may be up to 1 GiB) are written in pieces instead of held as one text several times the event's
/// size.
package struct FlushingTextBuffer: ~Copyable, ByteOutput {
    private var buffer: TextBuffer
    private let limit: Int
    private let flush: (UnsafeRawBufferPointer) -> Void
    /// Bytes handed on so far.
    package private(set) var flushedCount = 0

    /// - Parameters:
    ///   - limit: the most bytes held before they are handed on.
    ///   - flush: takes each piece, in order.
    package init(limit: Int = 1 << 20, flush: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.limit = max(limit, 64)
        self.flush = flush
        self.buffer = TextBuffer(capacity: self.limit + 4096)
    }

    package var count: Int { self.flushedCount + self.buffer.count }

    package mutating func append(_ byte: UInt8) {
        self.buffer.append(byte)
        if self.buffer.count >= self.limit { self.drain() }
    }

    package mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count < self.limit else {
            // A long piece (a BLOB's text) goes on as it is, after what is held.
            self.drain()
            self.flush(bytes)
            self.flushedCount += bytes.count
            return
        }
        self.buffer.appendBytes(bytes)
        if self.buffer.count >= self.limit { self.drain() }
    }

    package mutating func appendRepeating(_ byte: UInt8, count: Int) {
        var left = count
        while left > 0 {
            let piece = min(left, self.limit)
            self.buffer.appendRepeating(byte, count: piece)
            left -= piece
            if self.buffer.count >= self.limit { self.drain() }
        }
    }

    /// Hands on what is held.
    package mutating func drain() {
        guard self.buffer.count > 0 else { return }
        self.buffer.withUnsafeBytes { self.flush($0) }
        self.flushedCount += self.buffer.count
        self.buffer.removeAll()
    }
}
