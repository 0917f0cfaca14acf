import NIOCore

extension BinlogEventHeader {
    /// The v4 header at the start of `buffer`'s readable bytes, without consuming them; `nil` if fewer than 19
    /// bytes are readable.
    public init?(peekingAt buffer: ByteBuffer) {
        var copy = buffer
        guard copy.readableBytes >= Self.v4Length, let header = try? Self.decode(from: &copy) else { return nil }
        self = header
    }
}
