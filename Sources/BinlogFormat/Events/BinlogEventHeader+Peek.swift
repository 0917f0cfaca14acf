import NIOCore

extension BinlogEventHeader {
    /// The v4 header at the start of `buffer`'s readable bytes, without consuming them; `nil` if fewer than 19
    /// bytes are readable.
    public init?(peekingAt buffer: ByteBuffer) {
        // Every event passes through here (the archiver, the readers): one look at the bytes, no throwing reads.
        guard buffer.readableBytes >= Self.v4Length else { return nil }
        self = buffer.withUnsafeReadableBytes { raw in
            func field<I: FixedWidthInteger>(_: I.Type, at offset: Int) -> I {
                I(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: I.self))
            }
            return Self(
                timestamp: field(UInt32.self, at: 0), type: BinlogEventType(rawValue: raw[4]),
                serverID: field(UInt32.self, at: 5), eventSize: field(UInt32.self, at: 9),
                nextPosition: field(UInt32.self, at: 13), flags: field(UInt16.self, at: 17))
        }
    }
}
