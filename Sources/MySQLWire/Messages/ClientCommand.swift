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
    /// `COM_PING` (0x0E): the server answers with OK.
    case ping

    package var commandByte: UInt8 {
        switch self {
        case .quit: 0x01
        case .query: 0x03
        case .ping: 0x0E
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.commandByte)
        if case .query(let sql) = self { buffer.writeString(sql) }
    }
}
