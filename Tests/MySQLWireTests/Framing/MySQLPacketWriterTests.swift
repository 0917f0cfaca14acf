import NIOCore
import NIOEmbedded
import Testing

@testable import MySQLWire

/// The writer puts the same bytes on the wire as the encoder, copies short packets behind their header, and sends
/// long payloads as they are (their own memory, no copy).
@Suite struct MySQLPacketWriterTests {
    static let sizes = [
        0, 1, MySQLPacketWriter.copyLimit - 1, MySQLPacketWriter.copyLimit, 100_000, MySQLPacket.maximumFragmentLength,
        MySQLPacket.maximumFragmentLength + 5,
    ]

    @Test(arguments: Self.sizes) func writesWhatTheEncoderWrites(size: Int) throws {
        let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let packet = MySQLPacket(sequenceID: 9, payload: payload)
        let channel = EmbeddedChannel(handler: MySQLPacketWriter())
        let written = channel.writeAndFlush(packet)
        var wire = ByteBuffer()
        var writes: [ByteBuffer] = []
        while var part = try channel.readOutbound(as: ByteBuffer.self) {
            writes.append(part)
            wire.writeBuffer(&part)
        }
        var expected = ByteBuffer()
        try MySQLPacketEncoder().encode(data: packet, out: &expected)
        #expect(wire == expected)
        try written.wait()
        if size < MySQLPacketWriter.copyLimit {
            #expect(writes.count == 1)
        } else {
            // Header, payload; for two fragments header, first slice, header, rest (an empty rest: no write).
            let fragments = size / MySQLPacket.maximumFragmentLength + 1
            let emptyLast = size % MySQLPacket.maximumFragmentLength == 0
            #expect(writes.count == 2 * fragments - (emptyLast ? 1 : 0))
            let sent = writes[1].withUnsafeReadableBytes { $0.baseAddress }
            let original = payload.withUnsafeReadableBytes { $0.baseAddress }
            #expect(sent == original)
        }
        _ = try channel.finish()
    }
}
