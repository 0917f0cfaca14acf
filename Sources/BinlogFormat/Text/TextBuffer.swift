/// A growable byte buffer for printers that write millions of small pieces (`binlog show -v`).
///
/// Unlike `[UInt8]`, an append costs no uniqueness check and no reference counting: the buffer is a
/// non-copyable value that owns its memory, so it can never be shared. Every append checks the capacity
/// and grows (doubling) when needed, so no write can land outside the allocation.
package struct TextBuffer: ~Copyable, ByteOutput {
    private var base: UnsafeMutablePointer<UInt8>
    /// Bytes written.
    package private(set) var count: Int
    /// Bytes allocated.
    package private(set) var capacity: Int

    package init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        self.count = 0
    }

    deinit { self.base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    package mutating func reserve(_ extra: Int) {
        if self.capacity &- self.count < extra { self.grow(extra) }
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        precondition(extra >= 0 && extra <= Int.max / 2 - self.count, "TextBuffer cannot grow by \(extra) bytes")
        let capacity = max(self.capacity * 2, self.count + extra)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        new.update(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = new
        self.capacity = capacity
    }

    @inline(__always)
    package mutating func append(_ byte: UInt8) {
        self.reserve(1)
        self.base[self.count] = byte
        self.count &+= 1
    }

    @inline(__always)
    package mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let count = bytes.count
        self.reserve(count)
        let target = UnsafeMutableRawPointer(self.base + self.count)
        // Most pieces are short (labels, a number, a short string): copied inline by two overlapping loads, not
        // by a call to memmove (which was a tenth of `show -v`'s rendering time).
        if count >= 8 && count <= 16 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count < 4 {
            for index in 0..<count { target.storeBytes(of: bytes[index], toByteOffset: index, as: UInt8.self) }
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
        self.count &+= count
    }

    package mutating func appendRepeating(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        self.reserve(count)
        (self.base + self.count).update(repeating: byte, count: count)
        self.count &+= count
    }

    /// Lets `body` write at most `maximum` bytes straight into the buffer; `body` returns how many it wrote.
    @inline(__always)
    package mutating func write(maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> Int) rethrows {
        self.reserve(maximum)
        let written = try body(UnsafeMutableBufferPointer(start: self.base + self.count, count: maximum))
        precondition(written >= 0 && written <= maximum, "wrote \(written) bytes into room for \(maximum)")
        self.count &+= written
    }

    /// Forgets the bytes, keeping the memory.
    package mutating func removeAll() { self.count = 0 }

    /// Drops everything after the first `count` bytes.
    package mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count)
        self.count = count
    }

    /// The bytes written so far.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: self.base, count: self.count))
    }

    /// The bytes as an array (a copy).
    package var bytes: [UInt8] { self.withUnsafeBytes { Array($0) } }

    /// Hands the bytes over in a new buffer and leaves this one empty (with a fresh allocation of `capacity`).
    package mutating func take(leaving capacity: Int = 4096) -> TextBuffer {
        var taken = TextBuffer(capacity: capacity)
        swap(&taken.base, &self.base)
        swap(&taken.count, &self.count)
        swap(&taken.capacity, &self.capacity)
        return taken
    }
}
