import BinlogFormat
import NIOCore

/// Extra data from the server's auth plugin (`Protocol::AuthMoreData`), e.g. caching_sha2_password's
/// "fast auth succeeded" (`0x03`), "perform full authentication" (`0x04`) or its RSA public key in PEM.
///
///     ┌──────────┬──────────────────┐
///     │ 0x01 (1) │ plugin data (rest) │
///     └──────────┴──────────────────┘
package struct AuthMoreData: Hashable, Sendable {
    package var data: [UInt8]

    package init(data: [UInt8]) { self.data = data }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("AuthMoreData") {
            let header = try payload.readLittleEndian(UInt8.self, field: "header")
            guard header == 0x01 else { throw MySQLError.protocolViolation("header is \(header), not 0x01") }
            return Self(data: try payload.readBytes(length: payload.readableBytes, field: "plugin data"))
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x01))
        buffer.writeBytes(self.data)
    }
}
