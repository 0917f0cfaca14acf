import Logging
import NIOCore
import RewindTestSupport
import Testing

@testable import MySQLWire

/// ``BinlogEventChunkStream`` hands on what one read of the socket brought as one batch, in order; an error or the
/// end that arrived in the same read comes after the events before it, never instead of them.
@Suite struct BinlogEventChunkBatchTests {
    static let logger = Logger(label: "rewind.tests.chunk-batches")

    /// A binlog event of `bodyLength` bytes after its header, without a checksum; its body bytes are `marker`.
    static func event(marker: UInt8, bodyLength: Int, position: UInt32) -> [UInt8] {
        let size = UInt32(19 + bodyLength)
        func little<I: FixedWidthInteger>(_ value: I) -> [UInt8] {
            (0..<(I.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        let header =
            little(UInt32(1_700_000_000)) + [0x1D] + little(UInt32(7)) + little(size) + little(position + size)
            + little(UInt16(0))
        return header + [UInt8](repeating: marker, count: bodyLength)
    }

    /// One write of dump packets: each event behind its OK byte, then `tail` (an ERR or EOF payload).
    static func dumpBytes(events: [[UInt8]], tail: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, payload) in (events.map { [0x00] + $0 } + [tail]).enumerated() {
            let length = payload.count
            bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16), UInt8(index + 1)]
            bytes += payload
        }
        return bytes
    }

    static let errLostPosition: [UInt8] =
        [0xFF, 0xD4, 0x04, 0x23] + Array("HY000".utf8) + Array("Could not find first log file name".utf8)

    /// Runs a dump against a server that answers with `bytes` in one write; returns the batches and the error.
    static func dump(answering bytes: [UInt8]) async throws -> (batches: [[BinlogEventChunk]], error: MySQLError?) {
        let server = try HostileServer { connection in
            try connection.loginAndAnswerUntilBinlogDump()
            try connection.write(bytes)
            _ = try? connection.receive()  // until the client leaves
        }
        defer { server.stop() }
        let configuration = MySQLConnection.Configuration(
            endpoint: .tcp(host: "127.0.0.1", port: server.port),
            username: "rewind",
            password: "any",
            tls: .init(mode: .disabled),
            // Not a test of timeouts: a full parallel test run can starve this task for tens of seconds.
            connectTimeout: .seconds(300)
        )
        var batches: [[BinlogEventChunk]] = []
        var failure: MySQLError?
        try await MySQLConnection.withConnection(configuration: configuration, logger: Self.logger) { connection in
            let stream = try await connection.binlogEventChunks(
                BinlogDumpRequest(start: .position(file: "binlog.000001", position: 4), mode: .stopAtEnd, serverID: 99)
            )
            do {
                for try await batch in stream { batches.append(batch) }
            } catch let error as MySQLError {
                failure = error
            }
        }
        return (batches, failure)
    }

    @Test func eventsThatArriveWithAnErrorAreHandedOnBeforeIt() async throws {
        let events = (0..<40).map { Self.event(marker: UInt8($0), bodyLength: 30 + $0, position: 4) }
        let (batches, error) = try await Self.dump(
            answering: Self.dumpBytes(events: events, tail: Self.errLostPosition))
        let chunks = batches.flatMap { $0 }
        #expect(chunks.map { Array($0.bytes.readableBytesView) } == events)
        #expect(chunks.allSatisfy { $0.isWhole })
        #expect(batches.allSatisfy { !$0.isEmpty })
        // 40 small events in one write arrive in one read on loopback: fewer batches than events.
        #expect(batches.count < events.count, "\(batches.map(\.count))")
        let failure = try #require(error)
        #expect(failure.code == .server)
        #expect(failure.serverError?.code == 1236)
        #expect(failure.description.contains("binlog dump"), "\(failure)")
    }

    @Test func theEndThatArrivesWithEventsEndsTheStreamAfterThem() async throws {
        let events = (0..<25).map { Self.event(marker: UInt8($0), bodyLength: 100, position: 4) }
        let (batches, error) = try await Self.dump(answering: Self.dumpBytes(events: events, tail: [0xFE, 0, 0, 2, 0]))
        #expect(error == nil)
        #expect(batches.flatMap { $0 }.map { Array($0.bytes.readableBytesView) } == events)
    }
}
