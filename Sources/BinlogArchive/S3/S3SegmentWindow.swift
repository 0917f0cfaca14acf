import NIOCore

/// One window of a stored segment, kept in memory: a segment read in order costs one ranged GET per window and is
/// never held whole, however long (a segment of one long event can be up to 1 GiB).
struct S3SegmentWindow {
    /// The window's length (the last one of a segment is shorter); windows start at multiples of it.
    static let length: UInt64 = 8 << 20

    /// The segment the window is of.
    private(set) var key: String?
    /// The window's first byte in its segment.
    private(set) var start: UInt64 = 0
    private(set) var bytes = ByteBuffer()

    /// The byte after the window, in its segment.
    var end: UInt64 { self.start + UInt64(self.bytes.readableBytes) }

    /// Makes this the window of `key` (a segment of `size` bytes) that holds byte `at` of it, fetching it unless it
    /// is held already; returns whether it was fetched.
    @discardableResult
    mutating func load(_ key: String, size: UInt64, holding at: UInt64, objects: S3ArchiveObjects) throws -> Bool {
        if self.key == key && self.start <= at && at < self.end { return false }
        let start = at / Self.length * Self.length
        let bytes = try objects.get(key, offset: start, length: Int(min(Self.length, size - start)))
        (self.key, self.start, self.bytes) = (key, start, bytes)
        return true
    }

    /// Bytes `at ..< at + length` of the segment, when the window holds them all.
    func slice(at: UInt64, length: Int) -> ByteBuffer? {
        guard at >= self.start, at + UInt64(length) <= self.end else { return nil }
        return self.bytes.getSlice(at: self.bytes.readerIndex + Int(at - self.start), length: length)
    }
}
