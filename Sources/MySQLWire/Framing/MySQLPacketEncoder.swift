import NIOCore

/// Writes ``MySQLPacket``s with their 4-byte header, splitting payloads of 16 MiB − 1 bytes or more into fragments
/// with consecutive sequence ids (and an empty last fragment when the length is an exact multiple).
package struct MySQLPacketEncoder: MessageToByteEncoder {
    package typealias OutboundIn = MySQLPacket

    package init() {}

    package func encode(data: MySQLPacket, out: inout ByteBuffer) throws {
        Self.forEachFragment(of: data) { header, fragment in
            out.writeInteger(header)
            out.writeImmutableBuffer(fragment)
        }
    }

    /// Calls `body` with each wire fragment of `packet` in order: its 4-byte header (length and sequence id, as
    /// a `UInt32` to write big-endian) and its slice of the payload.
    static func forEachFragment(of packet: MySQLPacket, _ body: (_ header: UInt32, _ fragment: ByteBuffer) -> Void) {
        var payload = packet.payload
        var sequenceID = packet.sequenceID
        while true {
            let length = min(payload.readableBytes, MySQLPacket.maximumFragmentLength)
            // Little-endian length (3 bytes), then the sequence id: big-endian `length << 8 | id` byte-swapped.
            let header = UInt32(truncatingIfNeeded: length).byteSwapped | UInt32(sequenceID)
            body(header, payload.readSlice(length: length) ?? ByteBuffer())
            guard length == MySQLPacket.maximumFragmentLength else { return }
            sequenceID &+= 1
        }
    }
}
