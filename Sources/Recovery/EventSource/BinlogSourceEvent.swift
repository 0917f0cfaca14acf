import BinlogFormat
import NIOCore

/// One event from a ``BinlogEventSource``: where it is, what it is, and its bytes as the binlog file holds them.
public struct BinlogSourceEvent: Sendable {
    /// The binlog file the event is in (`mysql-bin.000042`).
    public var fileName: String
    /// The decoded event; ``BinlogEventRecord/position`` is its byte offset in ``fileName``.
    public var record: BinlogEventRecord
    /// The event's bytes, header to checksum trailer.
    public var bytes: ByteBuffer
    /// The decoding state after the event (format description, table maps for ROWS events).
    public var context: BinlogDecodingContext

    public init(fileName: String, record: BinlogEventRecord, bytes: ByteBuffer, context: BinlogDecodingContext) {
        self.fileName = fileName
        self.record = record
        self.bytes = bytes
        self.context = context
    }

    /// The event's byte offset in its file.
    public var position: UInt64 { self.record.position }
}
