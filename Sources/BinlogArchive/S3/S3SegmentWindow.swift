import NIOCore
import ObjectCodec

/// One window of a stored segment, kept in memory: a segment read in order costs one ranged GET per window and is
/// never held whole, however long (a segment of one long event can be up to 1 GiB).
///
/// An encoded segment (``S3EncodedSegment``) is decoded from its start, window after window: reading on goes on
/// from the window held, reading back starts over.
struct S3SegmentWindow {
    /// The window's length (the last one of a segment is shorter); windows start at multiples of it.
    static let length: UInt64 = 8 << 20

    /// The segment the window is of.
    private(set) var key: String?
    /// The window's first byte in its segment.
    private(set) var start: UInt64 = 0
    private(set) var bytes = ByteBuffer()
    /// The decoding of an encoded segment, where the window is.
    private var encoded: S3EncodedSegment?

    /// The byte after the window, in its segment.
    var end: UInt64 { self.start + UInt64(self.bytes.readableBytes) }

    /// Makes this the window of `key` (a segment of `size` bytes) that holds byte `at` of it, fetching it unless it
    /// is held already; returns whether it was fetched.
    ///
    /// - Parameters:
    ///   - encoding: how the segment is stored (its manifest's), `nil` for plain bytes; an encoded segment needs
    ///     `storedSize`, its size in the store.
    @discardableResult
    mutating func load(
        _ key: String,
        size: UInt64,
        holding at: UInt64,
        objects: S3ArchiveObjects,
        encoding: ObjectEncoding? = nil,
        storedSize: UInt64? = nil
    ) throws -> Bool {
        if self.key == key && self.start <= at && at < self.end { return false }
        if encoding != nil, let storedSize {
            do {
                try self.loadEncoded(key, size: size, storedSize: storedSize, holding: at, objects: objects)
            } catch {
                self = S3SegmentWindow()  // the decoder's place is lost: the next load starts over
                throw error
            }
            return true
        }
        self.encoded = nil
        let start = at / Self.length * Self.length
        let bytes = try objects.get(key, offset: start, length: Int(min(Self.length, size - start)))
        (self.key, self.start, self.bytes) = (key, start, bytes)
        return true
    }

    private mutating func loadEncoded(
        _ key: String,
        size: UInt64,
        storedSize: UInt64,
        holding at: UInt64,
        objects: S3ArchiveObjects
    ) throws {
        if self.key != key || self.encoded == nil || at < self.start {
            self.encoded = S3EncodedSegment(
                key: key, storedSize: storedSize, codec: objects.codec, layout: objects.layout)
            (self.key, self.start, self.bytes) = (key, 0, ByteBuffer())
        }
        while !(self.start <= at && at < self.end), var encoded = self.encoded {
            let start = self.end
            var plain = ByteBuffer()
            var ended = false
            while plain.readableBytes < Self.length {
                var out = try encoded.plain(limit: Int(Self.length) - plain.readableBytes)
                if out.readableBytes == 0 {
                    guard let range = encoded.nextRange else {
                        try encoded.finish()
                        ended = true
                        break
                    }
                    out = try encoded.plain(
                        objects.get(key, offset: range.offset, length: range.length),
                        limit: Int(Self.length) - plain.readableBytes
                    )
                }
                plain.writeBuffer(&out)
            }
            self.encoded = encoded
            let end = start + UInt64(plain.readableBytes)
            guard plain.readableBytes > 0, end <= size, !ended || end == size else {
                throw ArchiveError(
                    "the encoded segment does not decode to the \(size) bytes its manifest says (\(end) bytes "
                        + (ended ? "in all)" : "so far)"),
                    path: objects.url(key),
                    offset: at
                )
            }
            (self.start, self.bytes) = (start, plain)
        }
    }

    /// Bytes `at ..< at + length` of the segment, when the window holds them all.
    func slice(at: UInt64, length: Int) -> ByteBuffer? {
        guard at >= self.start, at + UInt64(length) <= self.end else { return nil }
        return self.bytes.getSlice(at: self.bytes.readerIndex + Int(at - self.start), length: length)
    }
}
