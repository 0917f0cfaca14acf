import BinlogFormat
import Foundation
import MySQLWire
import NIOCore
import RewindTestSupport
import Testing

@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct BinlogDumpIntegrationTests {
    /// Each test its own replica id: MariaDB disconnects an older replica with the same id.
    static let serverIDs: (files: UInt32, gtid: UInt32, missing: UInt32, follow: UInt32, decoded: UInt32) = (
        4_241, 4_242, 4_243, 4_244, 4_245
    )

    /// The header fields a test needs: type (offset 4), size (9), flags (17).
    static func header(_ event: ByteBuffer) -> (type: UInt8, size: UInt32, artificial: Bool) {
        let start = event.readerIndex
        let type = event.getInteger(at: start + 4, as: UInt8.self) ?? 0
        let size = event.getInteger(at: start + 9, endianness: .little, as: UInt32.self) ?? 0
        let flags = event.getInteger(at: start + 17, endianness: .little, as: UInt16.self) ?? 0
        return (type, size, flags & 0x20 != 0)
    }

    @Test func streamedClosedBinlogsAreByteIdenticalToTheFiles() async throws {
        let server = try SandboxServer.required()
        let (files, first) = try await MySQLConnection.withConnection(
            configuration: server.configuration(),
            logger: testLogger
        ) { connection in
            // A fresh sandbox (as in CI) has one binlog file: close it, so at least one file is complete.
            _ = try await connection.query("FLUSH BINARY LOGS")
            let logs = try await connection.rows("SHOW BINARY LOGS").compactMap { $0[0].string }
            let first = try #require(logs.first)
            var files: [String: ByteBuffer] = [:]
            var current = first
            let stream = try await connection.binlogEvents(
                BinlogDumpRequest(
                    start: .position(file: first, position: 4),
                    mode: .stopAtEnd,
                    serverID: Self.serverIDs.files
                )
            )
            for try await event in stream {
                let header = Self.header(event)
                #expect(Int(header.size) == event.readableBytes)
                if header.type == 4 && header.artificial {
                    // Rotate: 19-byte header, 8-byte position, name, 4-byte CRC32.
                    let nameBytes =
                        event.getBytes(at: event.readerIndex + 27, length: event.readableBytes - 27 - 4) ?? []
                    current = String(decoding: nameBytes, as: UTF8.self)
                    continue
                }
                if header.artificial || header.type == 27 || header.type == 41 { continue }
                var copy = event
                files[current, default: ByteBuffer(bytes: [0xFE, 0x62, 0x69, 0x6E])].writeBuffer(&copy)
            }
            // The server ends the session after the dump.
            await #expect(throws: MySQLError.self) { try await connection.ping() }
            return (files, logs.dropLast())  // the last file may still grow
        }
        try #require(!first.isEmpty, "the sandbox needs at least two binlog files")
        for name in first {
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: server.binlogDirectory).appendingPathComponent(name))
            let streamed = try #require(files[name], "no events streamed for \(name)")
            let bytes = Array(streamed.readableBytesView)
            let disk = Array(onDisk)
            let firstDifference = zip(bytes, disk).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(
                bytes == disk,
                "\(name): streamed \(bytes.count) bytes, file \(disk.count), first difference at \(firstDifference.map(String.init) ?? "none")"
            )
        }
    }

    @Test func mariaDBGTIDStartStreamsOnlyLaterTransactions() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            _ = try await connection.query(
                "CREATE DATABASE IF NOT EXISTS wire_dump; CREATE TABLE IF NOT EXISTS wire_dump.t (id INT)"
            )
            let before = try #require(try await connection.rows("SELECT @@global.gtid_binlog_pos").first?[0].string)
            _ = try await connection.query("INSERT INTO wire_dump.t VALUES (1)")
            let stream = try await connection.binlogEvents(
                BinlogDumpRequest(start: .mariaDBGTID(before), mode: .stopAtEnd, serverID: Self.serverIDs.gtid)
            )
            var types: [UInt8] = []
            for try await event in stream where !Self.header(event).artificial { types.append(Self.header(event).type) }
            #expect(types.contains(162))  // GTID_EVENT (MariaDB)
            #expect(types.contains(23) || types.contains(30))  // WRITE_ROWS (v1 or v2)
            #expect(types.contains(16))  // XID
        }
    }

    @Test func missingFileIsServerError1236() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            let stream = try await connection.binlogEvents(
                BinlogDumpRequest(
                    start: .position(file: "mysql-bin.999999", position: 4),
                    mode: .stopAtEnd,
                    serverID: Self.serverIDs.missing
                )
            )
            let error = await #expect(throws: MySQLError.self) { for try await _ in stream {} }
            #expect(error?.serverError?.code == 1236)
        }
    }

    /// Follow mode waits at the end of the binlog: heartbeats arrive while idle, and a new transaction arrives live.
    @Test(.timeLimit(.minutes(10))) func followModeDeliversHeartbeatsAndNewEvents() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            follower in
            let position = try await MySQLConnection.withConnection(
                configuration: server.configuration(),
                logger: testLogger
            ) { connection in
                _ = try await connection.query(
                    "CREATE DATABASE IF NOT EXISTS wire_dump; CREATE TABLE IF NOT EXISTS wire_dump.f (id INT)"
                )
                return try #require(try await connection.rows("SELECT @@global.gtid_binlog_pos").first?[0].string)
            }
            let stream = try await follower.binlogEvents(
                BinlogDumpRequest(
                    start: .mariaDBGTID(position),
                    mode: .follow,
                    serverID: Self.serverIDs.follow,
                    heartbeatPeriod: .milliseconds(200)
                )
            )
            var sawHeartbeat = false
            var sawInsert = false
            var inserted = false
            for try await event in stream {
                let header = Self.header(event)
                if header.type == 27 || header.type == 41 {
                    sawHeartbeat = true
                    if !inserted {
                        inserted = true
                        try await MySQLConnection.withConnection(
                            configuration: server.configuration(),
                            logger: testLogger
                        ) {
                            _ = try await $0.query("INSERT INTO wire_dump.f VALUES (7)")
                        }
                    }
                }
                if header.type == 23 || header.type == 30 { sawInsert = true }
                if sawHeartbeat && sawInsert { break }
            }
            #expect(sawHeartbeat && sawInsert)
        }
    }

    /// The whole binlog decodes through BinlogFormat, starting with the artificial Rotate that names the first file.
    @Test func decodedStreamYieldsTypedEvents() async throws {
        let server = try SandboxServer.required()
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            // A transaction of its own, so the stream has an XID also on a fresh sandbox.
            _ = try await connection.query(
                "CREATE DATABASE IF NOT EXISTS wire_decoded; "
                    + "CREATE TABLE IF NOT EXISTS wire_decoded.t (id INT PRIMARY KEY) ENGINE=InnoDB; "
                    + "REPLACE INTO wire_decoded.t VALUES (1)")
            let first = try #require(try await connection.rows("SHOW BINARY LOGS").first?[0].string)
            let stream = try await connection.binlogEvents(
                BinlogDumpRequest(
                    start: .position(file: first, position: 4),
                    mode: .stopAtEnd,
                    serverID: Self.serverIDs.decoded
                )
            )
            var records: [BinlogEventRecord] = []
            for try await record in stream.decoded() { records.append(record) }
            guard case .rotate(let rotate) = records.first?.event else {
                Issue.record("the stream must start with a Rotate, not \(String(describing: records.first?.event))")
                return
            }
            #expect(rotate.nextFileName == first)
            guard case .formatDescription = records.dropFirst().first?.event else {
                Issue.record("a FORMAT_DESCRIPTION must follow the first Rotate")
                return
            }
            #expect(records.dropFirst().first?.position == 4)
            #expect(records.contains { if case .mariadbGTID = $0.event { true } else { false } })
            #expect(records.contains { if case .xid = $0.event { true } else { false } })
        }
    }
}
