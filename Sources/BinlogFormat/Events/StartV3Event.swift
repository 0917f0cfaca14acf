import NIOCore

/// `START_EVENT_V3` (1): the first event of a MySQL 3.23–4.x binlog (no FORMAT_DESCRIPTION there).
///
///     ┌─────────────────┬─────────────────────┬─────────────────┐
///     │ binlog ver. (2) │ server version (50) │ create time (4) │
///     └─────────────────┴─────────────────────┴─────────────────┘
public struct StartV3Event: Hashable, Sendable {
    public var binlogVersion: UInt16
    public var serverVersion: String
    public var createTimestamp: UInt32

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let version = try body.readLittleEndian(UInt16.self, field: "binlog_version")
        let bytes = try body.readBytes(length: 50, field: "server_version")
        let created = try body.readLittleEndian(UInt32.self, field: "create_timestamp")
        try body.skip(body.readableBytes, field: "rest")
        return Self(
            binlogVersion: version, serverVersion: String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self),
            createTimestamp: created)
    }
}
