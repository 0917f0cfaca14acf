import BinlogFormat
import NIOCore

/// Success of a command (`Protocol::OK_Packet`); with `CLIENT_DEPRECATE_EOF` it also ends a result set, then with
/// the header `0xFE`.
///
///     ┌──────────────────┬────────────────────────┬──────────────────────┬────────────┬──────────────┬─────────────┐
///     │ 0x00 / 0xFE (1)  │ affected rows (lenenc) │ last insert id (len) │ status (2) │ warnings (2) │ info (rest) │
///     └──────────────────┴────────────────────────┴──────────────────────┴────────────┴──────────────┴─────────────┘
package struct OKPacket: Hashable, Sendable {
    package var affectedRows: UInt64
    package var lastInsertID: UInt64
    package var statusFlags: ServerStatusFlags
    package var warnings: UInt16
    /// Human-readable information (e.g. "Rows matched: 1  Changed: 1"); bytes, not always UTF-8.
    package var info: [UInt8]

    package init(
        affectedRows: UInt64 = 0,
        lastInsertID: UInt64 = 0,
        statusFlags: ServerStatusFlags = .autocommit,
        warnings: UInt16 = 0,
        info: [UInt8] = []
    ) {
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.statusFlags = statusFlags
        self.warnings = warnings
        self.info = info
    }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("OK packet") {
            let header = try payload.readLittleEndian(UInt8.self, field: "header")
            guard header == 0x00 || header == 0xFE else {
                throw MySQLError.protocolViolation("header is \(header), not 0x00 or 0xFE")
            }
            let affectedRows = try payload.readLengthEncodedInteger(field: "affected rows") ?? 0
            let lastInsertID = try payload.readLengthEncodedInteger(field: "last insert id") ?? 0
            let status = try payload.readLittleEndian(UInt16.self, field: "status flags")
            let warnings = try payload.readLittleEndian(UInt16.self, field: "warnings")
            let info = try payload.readBytes(length: payload.readableBytes, field: "info")
            return Self(
                affectedRows: affectedRows,
                lastInsertID: lastInsertID,
                statusFlags: ServerStatusFlags(rawValue: status),
                warnings: warnings,
                info: info
            )
        }
    }

    /// Writes the packet as a server would; `header` is `0x00`, or `0xFE` where it ends a result set.
    package func encode(into buffer: inout ByteBuffer, header: UInt8 = 0x00) {
        buffer.writeInteger(header)
        buffer.writeLengthEncodedInteger(self.affectedRows)
        buffer.writeLengthEncodedInteger(self.lastInsertID)
        buffer.writeInteger(self.statusFlags.rawValue, endianness: .little)
        buffer.writeInteger(self.warnings, endianness: .little)
        buffer.writeBytes(self.info)
    }
}
