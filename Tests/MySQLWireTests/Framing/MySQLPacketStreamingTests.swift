import NIOCore
import NIOEmbedded
import RewindTestSupport
import Testing

@testable import MySQLWire

/// With a streaming threshold, long packets are handed on in pieces as their bytes arrive (a binlog event goes to
/// the archive without being held whole): the pieces join to the payload however the bytes are split into reads,
/// the first piece holds the packet's start, and what a packet announces is checked before its bytes are taken.
@Suite struct MySQLPacketStreamingTests {
    static let threshold = 64 * 1024

    /// Runs `wire` through a streaming framer in reads cut at `cuts`, and returns the packets and pieces.
    static func frame(
        _ wire: ByteBuffer,
        cuts: [Int],
        declaredLength: MySQLPacketDecoder.DeclaredLength? = nil
    )
        throws -> [MySQLPacket]
    {
        let framer = MySQLPacketFramer(maximumPacketLength: MySQLPacketDecoder.packetLimit)
        framer.streamingThreshold = Self.threshold
        framer.declaredLength = declaredLength
        let channel = EmbeddedChannel(handler: framer)
        var wire = wire
        var previous = 0
        var pieces: [MySQLPacket] = []
        for cut in cuts.sorted() + [wire.readableBytes] where cut > previous {
            try channel.writeInbound(wire.readSlice(length: min(cut - previous, wire.readableBytes))!)
            previous = cut
            // Read as they come (EmbeddedChannel copies what is left unread on every write).
            while let piece = try channel.readInbound(as: MySQLPacket.self) { pieces.append(piece) }
        }
        _ = try channel.finish()
        return pieces
    }

    /// Joins pieces back into packets (checking the piece rules on the way).
    static func join(_ pieces: [MySQLPacket], sourceLocation: SourceLocation = #_sourceLocation) -> [MySQLPacket] {
        var packets: [MySQLPacket] = []
        var current: MySQLPacket?
        for piece in pieces {
            if current != nil {
                var bytes = piece.payload
                current!.payload.writeBuffer(&bytes)  // in place: a copy per piece would be quadratic
                current!.sequenceID = piece.sequenceID
                if !piece.continues {
                    packets.append(current!)
                    current = nil
                }
            } else if piece.continues {
                #expect(
                    piece.payload.readableBytes >= MySQLPacketDecoder.firstPieceMinimum,
                    "a first piece of \(piece.payload.readableBytes) bytes",
                    sourceLocation: sourceLocation
                )
                current = MySQLPacket(sequenceID: piece.sequenceID, payload: piece.payload)
            } else {
                packets.append(piece)
            }
        }
        #expect(current == nil, "the last packet never ended", sourceLocation: sourceLocation)
        return packets
    }

    @Test func piecesJoinToThePacketsHoweverTheReadsAreCut() throws {
        var random = SplitMix64(seed: 15)
        let lengths = [0, 5, 100, Self.threshold - 1, Self.threshold, 8191, 300_000, 70_000, 1_000_003]
        let packets = lengths.enumerated().map { index, length in
            MySQLPacket(
                sequenceID: UInt8(index),
                payload: ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) })
            )
        }
        // Byte-sized reads over the first packets (a streamed one among them), larger reads over all of them.
        for (count, size) in [(6, 1), (6, 3), (9, 100), (9, 8192), (9, 65_536), (9, 200_000)] {
            let packets = Array(packets.prefix(count))
            let wire = try MySQLPacketFramerTests.wire(packets)
            var cuts: [Int] = []
            var position = 0
            while position < wire.readableBytes {
                position += 1 + Int(random.next() % UInt64(size))
                cuts.append(position)
            }
            let pieces = try Self.frame(wire, cuts: cuts)
            #expect(Self.join(pieces) == packets, "reads up to \(size) bytes")
            // Packets under the threshold come whole; a piece of a longer one is at most a read (plus the start
            // of the packet when it straddled two reads).
            let largest = pieces.map(\.payload.readableBytes).max() ?? 0
            #expect(largest <= max(Self.threshold - 1, size + MySQLPacketDecoder.firstPieceMinimum), "\(largest)")
        }
    }

    @Test func aPacketOfManyFragmentsStreamsWithTheLastFragmentsSequenceID() throws {
        for length in [MySQLPacket.maximumFragmentLength, MySQLPacket.maximumFragmentLength + 10] {
            let payload = ByteBuffer(repeating: 0x5A, count: length)
            let wire = try MySQLPacketFramerTests.wire([MySQLPacket(sequenceID: 4, payload: payload)])
            let pieces = try Self.frame(wire, cuts: Array(stride(from: 65_536, to: wire.readableBytes, by: 65_536)))
            let joined = Self.join(pieces)
            #expect(joined.count == 1)
            #expect(joined.first?.payload == payload)
            #expect(joined.first?.sequenceID == 5, "the second fragment's id (the first fragment's is 4)")
            #expect(pieces.count > 200, "handed on as it arrived, not joined: \(pieces.count) pieces")
        }
    }

    /// `0x00` and a binlog event header whose `event_size` is `eventSize`, then `sent − 20` more bytes.
    static func eventPacket(eventSize: UInt32, sent: Int) throws -> ByteBuffer {
        var payload = ByteBuffer(bytes: [0x00, 0, 0, 0, 0, 30, 7, 0, 0, 0])
        payload.writeInteger(eventSize, endianness: .little)
        payload.writeRepeatingByte(0, count: sent - payload.readableBytes)
        return try MySQLPacketFramerTests.wire([MySQLPacket(sequenceID: 1, payload: payload)])
    }

    @Test func aStreamedEventWhoseLengthLiesIsRefusedAtItsFirstPiece() throws {
        // 100 KB sent in one packet, but the event header claims 500 KB: refused before anything is handed on.
        let wire = try Self.eventPacket(eventSize: 500_000, sent: 100_001)
        let error = #expect(throws: MySQLError.self) {
            try Self.frame(wire, cuts: [100], declaredLength: BinlogDumpStateMachine.declaredLength)
        }
        #expect(error?.code == .protocolViolation)
        #expect(error?.description.contains("500001") == true, "\(String(describing: error))")
        // An honest one streams.
        let honest = try Self.eventPacket(eventSize: 100_000, sent: 100_001)
        let pieces = try Self.frame(honest, cuts: [100], declaredLength: BinlogDumpStateMachine.declaredLength)
        #expect(pieces.count == 2)
        #expect(pieces.map(\.continues) == [true, false])
    }

    @Test func theDumpStateMachineTurnsPiecesIntoChunks() {
        var machine = BinlogDumpStateMachine()
        var first = ByteBuffer(bytes: [0x00])
        first.writeRepeatingByte(1, count: 63)
        let middle = ByteBuffer(repeating: 2, count: 1000)
        let last = ByteBuffer(repeating: 3, count: 10)
        #expect(
            machine.packetReceived(first, continues: true)
                == .chunk(BinlogEventChunk(bytes: ByteBuffer(repeating: 1, count: 63), isFirst: true, isLast: false))
        )
        #expect(
            machine.packetReceived(middle, continues: true)
                == .chunk(BinlogEventChunk(bytes: middle, isFirst: false, isLast: false))
        )
        #expect(machine.packetReceived(last) == .chunk(BinlogEventChunk(bytes: last, isFirst: false, isLast: true)))
        var whole = ByteBuffer(bytes: [0x00])
        whole.writeRepeatingByte(4, count: 30)
        #expect(machine.packetReceived(whole) == .event(ByteBuffer(repeating: 4, count: 30)))
        var eof = ByteBuffer()
        EOFPacket().encode(into: &eof)
        #expect(machine.packetReceived(eof) == .end)
    }
}
