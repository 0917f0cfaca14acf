import BinlogFormat
import NIOCore

/// The server's greeting (`Protocol::HandshakeV10`), the first packet of every connection.
///
///     ┌─────────┬────────────────┬───────────────┬────────────────┬────────┬───────────────┐
///     │ 10 (1)  │ version (NUL)  │ conn. id (4)  │ nonce 1–8 (8)  │ 0 (1)  │ caps low (2)  │
///     ├─────────┼────────────────┼───────────────┼────────────────┼────────┴───────────────┘
///     │ charset │ status (2)     │ caps high (2) │ nonce len (1)  │ reserved (6) + MariaDB caps (4)
///     ├─────────┴────────────────┴───────────────┴────────────────┴──────────────────────────┐
///     │ nonce 9– (max(13, len − 8), NUL-terminated) │ auth plugin name (NUL or to the end)    │
///     └──────────────────────────────────────────────────────────────────────────────────────┘
package struct HandshakeV10: Hashable, Sendable {
    package var serverVersion: String
    package var connectionID: UInt32
    /// The 20-byte scramble the auth plugins hash the password with (MySQL: "auth-plugin-data").
    package var nonce: [UInt8]
    package var capabilities: CapabilityFlags
    package var characterSet: UInt8
    package var statusFlags: ServerStatusFlags
    /// The server's default auth plugin, e.g. `mysql_native_password` or `caching_sha2_password`.
    package var authPluginName: String

    package init(
        serverVersion: String,
        connectionID: UInt32,
        nonce: [UInt8],
        capabilities: CapabilityFlags,
        characterSet: UInt8 = 45,
        statusFlags: ServerStatusFlags = .autocommit,
        authPluginName: String = "mysql_native_password"
    ) {
        self.serverVersion = serverVersion
        self.connectionID = connectionID
        self.nonce = nonce
        self.capabilities = capabilities
        self.characterSet = characterSet
        self.statusFlags = statusFlags
        self.authPluginName = authPluginName
    }

    /// Whether the server is MariaDB (its version string says so, possibly after a `5.5.5-` prefix).
    package var isMariaDB: Bool { self.serverVersion.contains("MariaDB") }

    package static func decode(from payload: inout ByteBuffer) throws -> Self {
        try decodingMessage("HandshakeV10") {
            let protocolVersion = try payload.readLittleEndian(UInt8.self, field: "protocol version")
            guard protocolVersion == 10 else {
                throw MySQLError(
                    code: .unsupported,
                    reason: "protocol version \(protocolVersion), only 10 is supported"
                )
            }
            let version = try payload.readNullTerminatedUTF8(field: "server version")
            let connectionID = try payload.readLittleEndian(UInt32.self, field: "connection id")
            var nonce = try payload.readBytes(length: 8, field: "auth-plugin-data-part-1")
            try payload.skip(1, field: "filler")
            var capabilities = UInt64(try payload.readLittleEndian(UInt16.self, field: "capability flags"))
            var characterSet: UInt8 = 0
            var status: UInt16 = 0
            var pluginName = "mysql_native_password"
            if payload.readableBytes > 0 {
                characterSet = try payload.readLittleEndian(UInt8.self, field: "character set")
                status = try payload.readLittleEndian(UInt16.self, field: "status flags")
                capabilities |= UInt64(try payload.readLittleEndian(UInt16.self, field: "capability flags")) << 16
                let nonceLength = Int(try payload.readLittleEndian(UInt8.self, field: "auth-plugin-data length"))
                try payload.skip(6, field: "reserved")
                let mariaDBCapabilities = try payload.readLittleEndian(UInt32.self, field: "MariaDB capabilities")
                if capabilities & CapabilityFlags.longPassword.rawValue == 0 {
                    capabilities |= UInt64(mariaDBCapabilities) << 32
                }
                if capabilities & CapabilityFlags.secureConnection.rawValue != 0 {
                    let part2 = try payload.readBytes(
                        length: max(13, nonceLength - 8),
                        field: "auth-plugin-data-part-2"
                    )
                    nonce += part2.last == 0 ? part2.dropLast() : part2[...]
                }
                if capabilities & CapabilityFlags.pluginAuth.rawValue != 0 {
                    // Some servers omit the final NUL.
                    if payload.readableBytesView.contains(0) {
                        pluginName = try payload.readNullTerminatedUTF8(field: "auth plugin name")
                    } else {
                        pluginName = try payload.readUTF8String(
                            length: payload.readableBytes,
                            field: "auth plugin name"
                        )
                    }
                }
            }
            return Self(
                serverVersion: version,
                connectionID: connectionID,
                nonce: nonce,
                capabilities: CapabilityFlags(rawValue: capabilities),
                characterSet: characterSet,
                statusFlags: ServerStatusFlags(rawValue: status),
                authPluginName: pluginName
            )
        }
    }

    /// Writes the greeting as a server would (for tests and the fake server).
    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(10))
        buffer.writeNullTerminatedString(self.serverVersion)
        buffer.writeInteger(self.connectionID, endianness: .little)
        buffer.writeBytes(self.nonce.prefix(8))
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt16(truncatingIfNeeded: self.capabilities.rawValue), endianness: .little)
        buffer.writeInteger(self.characterSet)
        buffer.writeInteger(self.statusFlags.rawValue, endianness: .little)
        buffer.writeInteger(UInt16(truncatingIfNeeded: self.capabilities.rawValue >> 16), endianness: .little)
        buffer.writeInteger(UInt8(truncatingIfNeeded: self.nonce.count + 1))
        buffer.writeRepeatingByte(0, count: 6)
        buffer.writeInteger(UInt32(truncatingIfNeeded: self.capabilities.rawValue >> 32), endianness: .little)
        let part2 = Array(self.nonce.dropFirst(8))
        buffer.writeBytes(part2)
        buffer.writeRepeatingByte(0, count: max(13 - part2.count, 1))
        buffer.writeNullTerminatedString(self.authPluginName)
    }
}
