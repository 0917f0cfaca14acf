import NIOCore

/// Writes ``MySQLPacket``s with their 4-byte header, splitting payloads of 16 MiB − 1 bytes or more into fragments
/// with consecutive sequence ids (and an empty last fragment when the length is an exact multiple).
package struct MySQLPacketEncoder: MessageToByteEncoder {
    package typealias OutboundIn = MySQLPacket

    package init() {}

    package func encode(data: MySQLPacket, out: inout ByteBuffer) throws {
        var payload = data.payload
        var sequenceID = data.sequenceID
        while true {
            let length = min(payload.readableBytes, MySQLPacket.maximumFragmentLength)
            out.writeInteger(UInt16(truncatingIfNeeded: length), endianness: .little)
            out.writeInteger(UInt8(truncatingIfNeeded: length >> 16))
            out.writeInteger(sequenceID)
            if var fragment = payload.readSlice(length: length) { out.writeBuffer(&fragment) }
            guard length == MySQLPacket.maximumFragmentLength else { return }
            sequenceID &+= 1
        }
    }
}
