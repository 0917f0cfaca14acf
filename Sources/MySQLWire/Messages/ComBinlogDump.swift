import NIOCore

/// `COM_BINLOG_DUMP` (0x12): stream binlog events from a file and position.
///
///     ┌──────┬──────────────┬───────────┬───────────────┬────────────────────────┐
///     │ 0x12 │ position (4) │ flags (2) │ server id (4) │ file name (rest)       │
///     └──────┴──────────────┴───────────┴───────────────┴────────────────────────┘
///
/// With an empty file name and MariaDB's `@slave_connect_state` set, MariaDB starts at that GTID position instead.
package struct ComBinlogDump: Hashable, Sendable {
    /// `BINLOG_DUMP_NON_BLOCK` (1): send EOF at the end of the last binlog instead of waiting for new events.
    package static let nonBlockingFlag: UInt16 = 0x0001
    /// MariaDB `BINLOG_SEND_ANNOTATE_ROWS_EVENT` (2): also send `ANNOTATE_ROWS` events (else they are skipped).
    package static let sendAnnotateRowsFlag: UInt16 = 0x0002

    package var position: UInt32
    package var flags: UInt16
    package var serverID: UInt32
    package var fileName: String

    package init(position: UInt32, flags: UInt16, serverID: UInt32, fileName: String) {
        self.position = position
        self.flags = flags
        self.serverID = serverID
        self.fileName = fileName
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x12))
        buffer.writeInteger(self.position, endianness: .little)
        buffer.writeInteger(self.flags, endianness: .little)
        buffer.writeInteger(self.serverID, endianness: .little)
        buffer.writeString(self.fileName)
    }
}
