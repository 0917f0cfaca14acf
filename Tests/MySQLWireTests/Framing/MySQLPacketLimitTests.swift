import NIOCore
import NIOEmbedded
import Testing

@testable import MySQLWire

/// A peer's length fields are claims: packets over the limit are refused at their header, before their bytes are
/// waited for or buffered, and a binlog event announcing more than a server can write is refused at its first
/// fragment.
@Suite struct MySQLPacketLimitTests {
    @Test func aHandshakePacketOverSixtyFourKibibytesIsRefusedAtItsHeader() throws {
        var decoder = MySQLPacketDecoder(maximumPacketLength: MySQLPacketDecoder.handshakePacketLimit)
        var header = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x00])  // 16 MiB announced, nothing of it sent
        let error = #expect(throws: MySQLError.self) { try decoder.decode(buffer: &header) }
        #expect(error?.code == .protocolViolation)
        #expect(error?.description.contains("before login") == true)
    }

    @Test func aHandshakePacketUnderTheLimitStillWaitsForItsBytes() throws {
        var decoder = MySQLPacketDecoder(maximumPacketLength: MySQLPacketDecoder.handshakePacketLimit)
        var buffer = ByteBuffer(bytes: [0x00, 0x00, 0x01, 0x00])  // exactly 64 KiB
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeRepeatingByte(7, count: 1 << 16)
        #expect(try decoder.decode(buffer: &buffer)?.payload.readableBytes == 1 << 16)
    }

    @Test func theFramerRefusesAFloodBeforeLoginAndCloses() throws {
        let channel = EmbeddedChannel(handler: MySQLPacketFramer())
        var flood = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x00])
        flood.writeRepeatingByte(0, count: 100_000)
        #expect(throws: MySQLError.self) { try channel.writeInbound(flood) }
        #expect(!channel.isActive)
    }

    static func firstFragment(eventSize: UInt32) -> ByteBuffer {
        var wire = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x01, 0x00])  // fragment header, OK byte
        wire.writeBytes([0, 0, 0, 0, 30, 7, 0, 0, 0])  // timestamp, type, server id
        wire.writeInteger(eventSize, endianness: .little)
        wire.writeRepeatingByte(0, count: MySQLPacket.maximumFragmentLength - 14)
        return wire
    }

    @Test func aBinlogEventClaimingFourGigabytesIsRefusedAtItsFirstFragment() throws {
        var decoder = MySQLPacketDecoder()
        decoder.declaredLength = BinlogDumpStateMachine.declaredLength
        var wire = Self.firstFragment(eventSize: .max)
        let error = #expect(throws: MySQLError.self) { try decoder.decode(buffer: &wire) }
        #expect(error?.description.contains("4294967295") == true)
    }

    @Test func fragmentsBeyondWhatTheEventAnnouncedAreRefused() throws {
        var decoder = MySQLPacketDecoder()
        decoder.declaredLength = BinlogDumpStateMachine.declaredLength
        var wire = Self.firstFragment(eventSize: UInt32(MySQLPacket.maximumFragmentLength + 10))
        #expect(try decoder.decode(buffer: &wire) == nil)  // the first fragment is held; 10 more bytes are due
        var next = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x02])  // announces 16 MiB more: a lie
        let error = #expect(throws: MySQLError.self) { try decoder.decode(buffer: &next) }
        #expect(error?.code == .protocolViolation)
    }

    @Test func aBinlogEventSplitIntoFragmentsArrivesWhole() throws {
        var decoder = MySQLPacketDecoder()
        decoder.declaredLength = BinlogDumpStateMachine.declaredLength
        let size = MySQLPacket.maximumFragmentLength + 9  // payload = OK byte + event = fragment + 10
        var wire = Self.firstFragment(eventSize: UInt32(size))
        wire.writeBytes([0x0A, 0x00, 0x00, 0x02])
        wire.writeRepeatingByte(1, count: 10)
        let packet = try #require(try decoder.decode(buffer: &wire))
        #expect(packet.payload.readableBytes == size + 1)
    }
}
