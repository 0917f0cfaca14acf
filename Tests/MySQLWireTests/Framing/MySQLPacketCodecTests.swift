import NIOCore
import Testing

@testable import MySQLWire

@Suite struct MySQLPacketCodecTests {
    @Test func decodesOnePacketAndWaitsForPartialInput() throws {
        var decoder = MySQLPacketDecoder()
        var buffer = ByteBuffer(bytes: [0x03, 0x00, 0x00, 0x07, 0x0A, 0x0B])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 6)
        buffer.writeBytes([0x0C, 0x01, 0x00, 0x00])
        let packet = try #require(try decoder.decode(buffer: &buffer))
        #expect(packet.sequenceID == 7)
        #expect(Array(packet.payload.readableBytesView) == [0x0A, 0x0B, 0x0C])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 3)
    }

    @Test func joinsSixteenMebibyteFragments() throws {
        let length = MySQLPacket.maximumFragmentLength + 10
        var payload = ByteBuffer(repeating: 0x5A, count: length)
        payload.setBytes([1, 2, 3], at: MySQLPacket.maximumFragmentLength - 1)
        var wire = ByteBuffer()
        try MySQLPacketEncoder().encode(data: MySQLPacket(sequenceID: 5, payload: payload), out: &wire)
        #expect(wire.readableBytes == length + 8)
        #expect(wire.getInteger(at: 3, as: UInt8.self) == 5)
        #expect(wire.getInteger(at: 4 + MySQLPacket.maximumFragmentLength + 3, as: UInt8.self) == 6)

        var decoder = MySQLPacketDecoder()
        var partial = wire.readSlice(length: 1000)!
        #expect(try decoder.decode(buffer: &partial) == nil)
        var rest = ByteBuffer(buffer: partial)
        rest.writeBuffer(&wire)
        let packet = try #require(try decoder.decode(buffer: &rest))
        #expect(packet.sequenceID == 6)
        #expect(packet.payload == payload)
    }

    @Test func exactMultipleOfTheFragmentSizeEndsWithAnEmptyPacket() throws {
        var payload = ByteBuffer(repeating: 0xAB, count: MySQLPacket.maximumFragmentLength)
        var wire = ByteBuffer()
        try MySQLPacketEncoder().encode(data: MySQLPacket(sequenceID: 0, payload: payload), out: &wire)
        #expect(wire.readableBytes == MySQLPacket.maximumFragmentLength + 8)
        var decoder = MySQLPacketDecoder()
        let packet = try #require(try decoder.decode(buffer: &wire))
        #expect(packet.payload.readableBytes == payload.readableBytes)
        #expect(packet.sequenceID == 1)
        payload.clear()
    }

    @Test func fragmentWithWrongSequenceIDThrows() throws {
        var wire = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x00])
        wire.writeRepeatingByte(1, count: MySQLPacket.maximumFragmentLength)
        wire.writeBytes([0x01, 0x00, 0x00, 0x05, 0x01])
        var decoder = MySQLPacketDecoder()
        let error = #expect(throws: MySQLError.self) { try decoder.decode(buffer: &wire) }
        #expect(error?.code == .protocolViolation)
    }
}
