import NIOCore

/// The client's answer to the greeting (`Protocol::HandshakeResponse41`): who logs in, with which plugin and data.
///
///     ┌──────────┬─────────────────┬─────────┬───────────────────────────────┬───────────────┐
///     │ caps (4) │ max packet (4)  │ charset │ 0 (19) + MariaDB caps (4)     │ user (NUL)    │
///     ├──────────┴─────────────────┴─────────┴───────────────────────────────┴───────────────┤
///     │ auth response (lenenc) │ database (NUL, if CONNECT_WITH_DB) │ plugin name (NUL)      │
///     │ connection attributes (lenenc length, then lenenc key/value pairs)                  │
///     └─────────────────────────────────────────────────────────────────────────────────────┘
package struct HandshakeResponse41: Hashable, Sendable {
    package var capabilities: CapabilityFlags
    package var maxPacketSize: UInt32
    package var characterSet: UInt8
    package var username: String
    package var authResponse: [UInt8]
    package var database: String?
    package var authPluginName: String
    package var attributes: [(key: String, value: String)]

    package init(
        capabilities: CapabilityFlags,
        maxPacketSize: UInt32 = 1 << 30,
        characterSet: UInt8 = 45,
        username: String,
        authResponse: [UInt8],
        database: String?,
        authPluginName: String,
        attributes: [(key: String, value: String)] = []
    ) {
        self.capabilities = capabilities
        self.maxPacketSize = maxPacketSize
        self.characterSet = characterSet
        self.username = username
        self.authResponse = authResponse
        self.database = database
        self.authPluginName = authPluginName
        self.attributes = attributes
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.capabilities == rhs.capabilities && lhs.maxPacketSize == rhs.maxPacketSize
            && lhs.characterSet == rhs.characterSet && lhs.username == rhs.username
            && lhs.authResponse == rhs.authResponse && lhs.database == rhs.database
            && lhs.authPluginName == rhs.authPluginName
            && lhs.attributes.map(\.key) == rhs.attributes.map(\.key)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(self.username)
        hasher.combine(self.authResponse)
    }

    package func encode(into buffer: inout ByteBuffer) {
        SSLRequest(capabilities: self.capabilities, maxPacketSize: self.maxPacketSize, characterSet: self.characterSet)
            .encode(into: &buffer)
        buffer.writeNullTerminatedString(self.username)
        if self.capabilities.contains(.pluginAuthLengthEncodedClientData) {
            buffer.writeLengthEncodedBytes(self.authResponse)
        } else {
            buffer.writeInteger(UInt8(truncatingIfNeeded: self.authResponse.count))
            buffer.writeBytes(self.authResponse.prefix(255))
        }
        if self.capabilities.contains(.connectWithDB) {
            buffer.writeNullTerminatedString(self.database ?? "")
        }
        if self.capabilities.contains(.pluginAuth) {
            buffer.writeNullTerminatedString(self.authPluginName)
        }
        if self.capabilities.contains(.connectAttributes) {
            var attributes = ByteBuffer()
            for (key, value) in self.attributes {
                attributes.writeLengthEncodedBytes(Array(key.utf8))
                attributes.writeLengthEncodedBytes(Array(value.utf8))
            }
            buffer.writeLengthEncodedInteger(UInt64(attributes.readableBytes))
            buffer.writeBuffer(&attributes)
        }
    }
}
