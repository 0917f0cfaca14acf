import BinlogFormat
import NIOCore

/// Failure of a command (`Protocol::ERR_Packet`): error number, SQLSTATE and message.
///
///     ┌──────────┬────────────────┬─────────┬──────────────┬────────────────┐
///     │ 0xFF (1) │ error code (2) │ '#' (1) │ SQLSTATE (5) │ message (rest) │
///     └──────────┴────────────────┴─────────┴──────────────┴────────────────┘
///
/// Errors sent before the capabilities are agreed (e.g. "Too many connections") lack the `#` and SQLSTATE; they
/// get `HY000`.
package struct ERRPacket: Hashable, Sendable {
    package var errorCode: UInt16
    package var sqlState: String
    package var message: String

    package init(errorCode: UInt16, sqlState: String, message: String) {
        self.errorCode = errorCode
        self.sqlState = sqlState
        self.message = message
    }

    /// The first byte of every ERR packet.
    package static let header: UInt8 = 0xFF

    /// Whether `payload` (a whole packet's payload, unread) is an ERR packet.
    package static func starts(_ payload: ByteBuffer) -> Bool {
        payload.getInteger(at: payload.readerIndex, as: UInt8.self) == Self.header
    }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("ERR packet") {
            let header = try payload.readLittleEndian(UInt8.self, field: "header")
            guard header == Self.header else { throw MySQLError.protocolViolation("header is \(header), not 0xFF") }
            let code = try payload.readLittleEndian(UInt16.self, field: "error code")
            var state = "HY000"
            if payload.readableBytes >= 6,
                payload.getInteger(at: payload.readerIndex, as: UInt8.self) == UInt8(ascii: "#")
            {
                try payload.skip(1, field: "SQLSTATE marker")
                state = try payload.readUTF8String(length: 5, field: "SQLSTATE")
            }
            // Messages are in the server's character set (utf8 here); keep the text readable either way.
            let bytes = try payload.readBytes(length: payload.readableBytes, field: "message")
            return Self(errorCode: code, sqlState: state, message: String(decoding: bytes, as: UTF8.self))
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0xFF))
        buffer.writeInteger(self.errorCode, endianness: .little)
        buffer.writeString("#")
        buffer.writeString(self.sqlState)
        buffer.writeString(self.message)
    }

    /// The server error this packet carries.
    package var serverError: MySQLError.ServerError {
        MySQLError.ServerError(code: self.errorCode, sqlState: self.sqlState, message: self.message)
    }
}
