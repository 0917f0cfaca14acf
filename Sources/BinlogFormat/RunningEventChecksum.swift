import NIOCore

/// The CRC32 trailer check of one event whose bytes come in pieces: the outcome of
/// ``BinlogChecksum/verify(event:)`` on the whole event, without holding it (an archiver writes a long event to
/// its file as it arrives).
///
/// Feed every byte of the event, header first, in order; the first `eventSize − 4` are covered by the CRC and the
/// last 4 are the stored trailer. Not for a FORMAT_DESCRIPTION with the in-use flag set (``BinlogChecksum`` masks
/// that flag): such events are short and checked whole.
public struct RunningEventChecksum: Hashable, Sendable {
    /// The event's length from its header (`event_size`).
    public let eventSize: Int
    /// Bytes fed so far.
    public private(set) var received = 0
    private var computed: UInt32 = 0
    private var stored: UInt32 = 0

    public init(eventSize: Int) {
        self.eventSize = eventSize
    }

    /// Feeds the next bytes of the event; bytes beyond `eventSize` are not looked at.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let coveredEnd = self.eventSize - 4
        var offset = 0
        if self.received < coveredEnd {
            offset = min(bytes.count, coveredEnd - self.received)
            let covered = UnsafeRawBufferPointer(rebasing: bytes[0..<offset])
            self.computed = BinlogChecksum.crc32(covered, continuing: self.computed)
        }
        // The trailer, little-endian, possibly split between pieces.
        while offset < bytes.count, self.received + offset < self.eventSize {
            let shift = (self.received + offset - coveredEnd) * 8
            self.stored |= UInt32(bytes[offset]) << shift
            offset += 1
        }
        self.received += bytes.count
    }

    public mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { self.update($0) }
    }

    /// The check's outcome, once all `eventSize` bytes have been fed.
    public var outcome: BinlogChecksum.Outcome {
        guard self.eventSize >= BinlogEventHeader.v4Length + 4, self.received >= self.eventSize else {
            return .tooShort
        }
        return self.computed == self.stored ? .valid : .mismatch(stored: self.stored, computed: self.computed)
    }
}
