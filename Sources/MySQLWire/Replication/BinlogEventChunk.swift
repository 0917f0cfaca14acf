import NIOCore

/// Part of one binlog event, as it arrived from the server.
///
/// A ``BinlogEventChunkStream`` hands on an event of ``BinlogEventChunkStream/chunkingThreshold`` bytes or more in
/// several chunks as its bytes arrive, and a shorter one in one, so that a consumer that writes events out (the
/// archiver) never holds a whole long event: memory does not grow with the event's size.
public struct BinlogEventChunk: Sendable, Hashable {
    /// The bytes. The first chunk of an event starts with the event's whole 19-byte header.
    public var bytes: ByteBuffer
    /// This chunk starts an event.
    public var isFirst: Bool
    /// This chunk ends the event.
    public var isLast: Bool
    /// The chunk is a whole event.
    public var isWhole: Bool { self.isFirst && self.isLast }

    public init(bytes: ByteBuffer, isFirst: Bool, isLast: Bool) {
        self.bytes = bytes
        self.isFirst = isFirst
        self.isLast = isLast
    }

    /// A whole event as one chunk.
    public init(wholeEvent: ByteBuffer) {
        self.init(bytes: wholeEvent, isFirst: true, isLast: true)
    }
}
