import NIOCore

/// The short handshake response that asks the server to switch to TLS (`Protocol::SSLRequest`); the full
/// ``HandshakeResponse41`` follows inside TLS.
///
///     ┌──────────┬────────────────┬─────────────┬──────────────────────────────────────┐
///     │ caps (4) │ max packet (4) │ charset (1) │ 0 (19) + MariaDB extended caps (4)   │
///     └──────────┴────────────────┴─────────────┴──────────────────────────────────────┘
package struct SSLRequest: Hashable, Sendable {
    package var capabilities: CapabilityFlags
    package var maxPacketSize: UInt32
    package var characterSet: UInt8

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(truncatingIfNeeded: self.capabilities.rawValue), endianness: .little)
        buffer.writeInteger(self.maxPacketSize, endianness: .little)
        buffer.writeInteger(self.characterSet)
        buffer.writeRepeatingByte(0, count: 19)
        buffer.writeInteger(UInt32(truncatingIfNeeded: self.capabilities.rawValue >> 32), endianness: .little)
    }
}
