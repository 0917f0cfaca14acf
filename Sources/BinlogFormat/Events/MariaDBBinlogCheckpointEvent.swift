import NIOCore

/// MariaDB `BINLOG_CHECKPOINT_EVENT` (161): the oldest binlog file crash recovery may still need.
///
///     ┌─────────────────────┬───────────┐
///     │ file name length (4)│ file name │
///     └─────────────────────┴───────────┘
public struct MariaDBBinlogCheckpointEvent: Hashable, Sendable {
    public var fileName: String

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let length = Int(try body.readLittleEndian(UInt32.self, field: "name_length"))
        let bytes = try body.readBytes(length: length, field: "name")
        return Self(fileName: String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
    }
}
