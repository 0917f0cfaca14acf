import NIOCore

/// A command packet from the client (`COM_*` in MySQL's `my_command.h`); the sequence id restarts at 0.
///
///     ┌──────────────────┬────────────────────────┐
///     │ command byte (1) │ arguments (rest)       │
///     └──────────────────┴────────────────────────┘
package enum ClientCommand: Hashable, Sendable {
    /// `COM_QUIT` (0x01): the client is leaving; the server closes without answering.
    case quit
    /// `COM_QUERY` (0x03): run SQL text; the server answers with OK, ERR or result sets.
    case query(String)
    /// `COM_QUERY` with SQL as raw bytes: statements whose string literals hold binary data (not UTF-8).
    case queryBytes(ByteBuffer)
    /// `COM_PING` (0x0E): the server answers with OK.
    case ping
    /// `COM_BINLOG_DUMP` (0x12): the server streams binlog events.
    case binlogDump(ComBinlogDump)
    /// `COM_REGISTER_SLAVE` (0x15): the server answers with OK.
    case registerReplica(ComRegisterReplica)
    /// `COM_BINLOG_DUMP_GTID` (0x1E, MySQL): the server streams binlog events after a GTID set.
    case binlogDumpGTID(ComBinlogDumpGTID)

    package var commandByte: UInt8 {
        switch self {
        case .quit: 0x01
        case .query, .queryBytes: 0x03
        case .ping: 0x0E
        case .binlogDump: 0x12
        case .registerReplica: 0x15
        case .binlogDumpGTID: 0x1E
        }
    }

    /// - Throws: ``MySQLError`` when a GTID set cannot be encoded (see ``ComBinlogDumpGTID``).
    package func encode(into buffer: inout ByteBuffer) throws {
        switch self {
        case .binlogDumpGTID(let dump): try dump.encode(into: &buffer)
        case .binlogDump(let dump): dump.encode(into: &buffer)
        case .registerReplica(let register): register.encode(into: &buffer)
        case .query(let sql):
            buffer.writeInteger(self.commandByte)
            buffer.writeString(sql)
        case .queryBytes(var sql):
            buffer.writeInteger(self.commandByte)
            buffer.writeBuffer(&sql)
        case .quit, .ping:
            buffer.writeInteger(self.commandByte)
        }
    }
}
