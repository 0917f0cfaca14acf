import BinlogFormat
import NIOCore

/// End of column definitions or rows when `CLIENT_DEPRECATE_EOF` is not agreed (`Protocol::EOF_Packet`).
///
///     ┌──────────┬──────────────┬──────────────────┐
///     │ 0xFE (1) │ warnings (2) │ status flags (2) │
///     └──────────┴──────────────┴──────────────────┘
package struct EOFPacket: Hashable, Sendable {
    package var warnings: UInt16
    package var statusFlags: ServerStatusFlags

    package init(warnings: UInt16 = 0, statusFlags: ServerStatusFlags = .autocommit) {
        self.warnings = warnings
        self.statusFlags = statusFlags
    }

    /// Whether a packet is an EOF packet rather than a row or OK packet that starts with `0xFE`.
    package static func matches(_ payload: ByteBuffer) -> Bool {
        payload.readableBytes < 9 && payload.getInteger(at: payload.readerIndex, as: UInt8.self) == 0xFE
    }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("EOF packet") {
            let header = try payload.readLittleEndian(UInt8.self, field: "header")
            guard header == 0xFE else { throw MySQLError.protocolViolation("header is \(header), not 0xFE") }
            let warnings = try payload.readLittleEndian(UInt16.self, field: "warnings")
            let status = try payload.readLittleEndian(UInt16.self, field: "status flags")
            return Self(warnings: warnings, statusFlags: ServerStatusFlags(rawValue: status))
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0xFE))
        buffer.writeInteger(self.warnings, endianness: .little)
        buffer.writeInteger(self.statusFlags.rawValue, endianness: .little)
    }
}
