import NIOCore

/// The common header of every v4 binlog event (19 bytes; v1 files use 13).
///
///     ┌───────────────┬──────────┬───────────────┬────────────────┬──────────────┬───────────┐
///     │ timestamp (4) │ type (1) │ server_id (4) │ event_size (4) │ log_pos (4)  │ flags (2) │
///     └───────────────┴──────────┴───────────────┴────────────────┴──────────────┴───────────┘
///
/// `event_size` counts the header, the body and the checksum trailer. `log_pos` is the position of the
/// *next* event (0 in relay logs and inside a transaction payload).
public struct BinlogEventHeader: Hashable, Sendable {
    /// Seconds since the Unix epoch when the statement started.
    public var timestamp: UInt32
    public var type: BinlogEventType
    public var serverID: UInt32
    public var eventSize: UInt32
    public var nextPosition: UInt32
    public var flags: UInt16

    /// Length of the v4 header.
    public static let v4Length = 19
    /// Length of the v1 header (MySQL 3.23).
    public static let v1Length = 13

    /// `LOG_EVENT_BINLOG_IN_USE_F` (0x1): the binlog was not closed properly (set on the FDE of an open file).
    public static let flagBinlogInUse: UInt16 = 0x1
    /// `LOG_EVENT_IGNORABLE_F` (0x80): a replica that does not know the type may skip the event.
    public static let flagIgnorable: UInt16 = 0x80
    /// `LOG_EVENT_ARTIFICIAL_F` (0x20): made up by the server (a ROTATE or FDE sent to a replica).
    public static let flagArtificial: UInt16 = 0x20

    /// Whether the server made the event up for a replica rather than reading it from its file: flagged
    /// `LOG_EVENT_ARTIFICIAL_F`, or with no position in any file (`next_position` 0: the fake ROTATE a dump starts
    /// with, and the FDE a MariaDB server sends after it). Such events are not part of the binlog.
    public var isArtificial: Bool { self.flags & Self.flagArtificial != 0 || self.nextPosition == 0 }

    public init(
        timestamp: UInt32, type: BinlogEventType, serverID: UInt32, eventSize: UInt32, nextPosition: UInt32,
        flags: UInt16
    ) {
        self.timestamp = timestamp
        self.type = type
        self.serverID = serverID
        self.eventSize = eventSize
        self.nextPosition = nextPosition
        self.flags = flags
    }

    /// Reads a header of `length` bytes (19, or 13 for v1 files) from `buffer`.
    static func decode(from buffer: inout ByteBuffer, length: Int = v4Length) throws -> Self {
        let timestamp = try buffer.readLittleEndian(UInt32.self, field: "header.timestamp")
        let type = BinlogEventType(rawValue: try buffer.readLittleEndian(UInt8.self, field: "header.type"))
        let serverID = try buffer.readLittleEndian(UInt32.self, field: "header.server_id")
        let size = try buffer.readLittleEndian(UInt32.self, field: "header.event_size")
        var nextPosition: UInt32 = 0
        var flags: UInt16 = 0
        if length >= v4Length {
            nextPosition = try buffer.readLittleEndian(UInt32.self, field: "header.log_pos")
            flags = try buffer.readLittleEndian(UInt16.self, field: "header.flags")
            try buffer.skip(length - v4Length, field: "header.extra")
        }
        return Self(
            timestamp: timestamp, type: type, serverID: serverID, eventSize: size, nextPosition: nextPosition,
            flags: flags)
    }
}
