import NIOCore
import NIOEmbedded
import RewindTestSupport
import Testing

@testable import MySQLWire

/// The zero-copy framer gives the same packets as the decoder, however the bytes are split into reads.
@Suite struct MySQLPacketFramerTests {
    static func wire(_ packets: [MySQLPacket]) throws -> ByteBuffer {
        var wire = ByteBuffer()
        for packet in packets { try MySQLPacketEncoder().encode(data: packet, out: &wire) }
        return wire
    }

    static func frame(_ wire: ByteBuffer, cuts: [Int]) throws -> [MySQLPacket] {
        let channel = EmbeddedChannel(handler: MySQLPacketFramer(maximumPacketLength: MySQLPacketDecoder.packetLimit))
        var wire = wire
        var previous = 0
        for cut in cuts.sorted() + [wire.readerIndex + wire.readableBytes] where cut > previous {
            let piece = wire.readSlice(length: min(cut - previous, wire.readableBytes))!
            try channel.writeInbound(piece)
            previous = cut
        }
        var packets: [MySQLPacket] = []
        while let packet = try channel.readInbound(as: MySQLPacket.self) { packets.append(packet) }
        _ = try channel.finish()
        return packets
    }

    @Test func anySplitOfTheBytesGivesTheSamePackets() throws {
        var random = SplitMix64(seed: 2026)
        let packets = (0..<200).map { index in
            let length = [0, 1, 3, 4, 5, 100, 8191, 70_000][index % 8] + Int.random(in: 0...50, using: &random)
            return MySQLPacket(
                sequenceID: UInt8(truncatingIfNeeded: index),
                payload: ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
            )
        }
        let wire = try Self.wire(packets)
        // Byte-sized reads on a smaller stream (the first packets, small ones and one of 70 KB).
        let small = Array(packets.prefix(9))
        let smallWire = try Self.wire(small)
        for size in [1, 2, 3, 5] {
            var cuts: [Int] = []
            var position = 0
            while position < smallWire.readableBytes {
                position += Int.random(in: 1...size, using: &random)
                cuts.append(position)
            }
            #expect(try Self.frame(smallWire, cuts: cuts) == small, "reads up to \(size) bytes")
        }
        for round in 0..<12 {
            // Reads of up to 100 KiB, cut anywhere (inside headers too).
            let size = [1000, 8192, 65_536, 100_000][round % 4]
            var cuts: [Int] = []
            var position = 0
            while position < wire.readableBytes {
                position += Int.random(in: 1...max(1, size), using: &random)
                cuts.append(position)
            }
            #expect(try Self.frame(wire, cuts: cuts) == packets, "round \(round), reads up to \(size) bytes")
        }
    }

    @Test func joinsFragmentsSplitAcrossReads() throws {
        let payload = ByteBuffer(repeating: 0x42, count: MySQLPacket.maximumFragmentLength + 77)
        let packets = [
            MySQLPacket(sequenceID: 1, payload: ByteBuffer(bytes: [9, 9])),
            MySQLPacket(sequenceID: 2, payload: payload),
        ]
        let framed = try Self.frame(
            try Self.wire(packets), cuts: [3, 10, 1 << 20, MySQLPacket.maximumFragmentLength + 2])
        #expect(framed.count == 2)
        #expect(framed.last?.payload == payload)
        #expect(framed.last?.sequenceID == 3)  // the last fragment's sequence id
    }

    @Test func aBrokenSequenceClosesTheChannelWithAnError() throws {
        var wire = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x00])
        wire.writeRepeatingByte(1, count: MySQLPacket.maximumFragmentLength)
        wire.writeBytes([0x01, 0x00, 0x00, 0x05, 0x01])
        let channel = EmbeddedChannel(handler: MySQLPacketFramer())
        let error = #expect(throws: MySQLError.self) { try channel.writeInbound(wire) }
        #expect(error?.code == .protocolViolation)
        #expect(!channel.isActive)
    }
}
