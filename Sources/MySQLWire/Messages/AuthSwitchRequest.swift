import BinlogFormat
import NIOCore

/// The server asks the client to authenticate again with another plugin and a new nonce
/// (`Protocol::AuthSwitchRequest`).
///
///     ┌──────────┬─────────────────────┬───────────────────────────────────┐
///     │ 0xFE (1) │ plugin name (NUL)   │ plugin data (rest, often NUL-ended) │
///     └──────────┴─────────────────────┴───────────────────────────────────┘
package struct AuthSwitchRequest: Hashable, Sendable {
    package var pluginName: String
    package var pluginData: [UInt8]

    package init(pluginName: String, pluginData: [UInt8]) {
        self.pluginName = pluginName
        self.pluginData = pluginData
    }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("AuthSwitchRequest") {
            let header = try payload.readLittleEndian(UInt8.self, field: "header")
            guard header == 0xFE else { throw MySQLError.protocolViolation("header is \(header), not 0xFE") }
            let name = try payload.readNullTerminatedUTF8(field: "plugin name")
            var data = try payload.readBytes(length: payload.readableBytes, field: "plugin data")
            // A 20-byte scramble comes NUL-terminated; other plugins' data (client_ed25519's 32-byte nonce) is
            // taken whole, since its last byte may be 0.
            if data.count == 21 && data.last == 0 { data.removeLast() }
            return Self(pluginName: name, pluginData: data)
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0xFE))
        buffer.writeNullTerminatedString(self.pluginName)
        buffer.writeBytes(self.pluginData)
        buffer.writeInteger(UInt8(0))
    }
}
