import Foundation
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rewind binlog archive` writes a long event to its file as the bytes arrive: its memory does not grow with the
/// event, whether the event is good (archived byte for byte), damaged (bad CRC32) or cut short by the server; a
/// damaged or partial event is cut back off the file.
extension HostileServerTests {
    /// A server that starts the dump at `binlog.000001` (at the position asked for), sends the FORMAT_DESCRIPTION
    /// and then `send` (the long event), then the end of the non-blocking dump.
    static func longEventServer(_ send: @escaping @Sendable (HostileConnection) throws -> UInt8) throws -> HostileServer
    {
        try HostileServer { connection in
            let dump = try connection.loginAndAnswerUntilBinlogDump(checksum: "CRC32")
            // COM_BINLOG_DUMP: 0x12, then the position (4 bytes, little-endian).
            let position = dump.count >= 5 ? (1...4).reduce(UInt64(0)) { $0 | UInt64(dump[$1]) << (8 * ($1 - 1)) } : 4
            try connection.packet([0x00] + HostileBinlog.rotate(position: position), sequenceID: 1)
            try connection.packet([0x00] + HostileBinlog.formatDescription, sequenceID: 2)
            let next = try send(connection)
            try connection.packet(HostileConnection.eof, sequenceID: next)
            _ = try? connection.receive()  // until the client leaves
        }
    }

    static func archivedSize(_ directory: String) -> UInt64? {
        let path = directory + "/" + HostileBinlog.fileName
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
    }

    static func report(_ label: String, _ outcome: Outcome) {
        print(
            "hostile server, \(label): exit \(outcome.status), peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB, "
                + "process \(String(format: "%.2f", outcome.seconds)) s; "
                + (outcome.output.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? "")
        )
    }

    @Test(.timeLimit(.minutes(3)))
    func aThreeHundredMegabyteEventIsArchivedAsItArrivesInBoundedMemory() async throws {
        let size = 300_000_000
        let (header, crc) = HostileBinlog.longEvent(size: size)
        let server = try Self.longEventServer { connection in
            try HostileBinlog.sendLongEvent(connection, size: size, header: header, crc: crc, firstSequenceID: 3)
        }
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(["binlog", "archive", "--to", directory, "--retries", "1"], against: server)
        Self.report("300 MB event archived", outcome)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.peakResidentBytes > 1 << 20, "no plausible peak measured")
        #expect(outcome.peakResidentBytes < Self.memoryLimit, "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB")
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart + UInt64(size))
        let path = directory + "/" + HostileBinlog.fileName
        #expect(
            HostileBinlog.fileHoldsLongEvent(
                path,
                at: HostileBinlog.longEventStart,
                size: size,
                header: header,
                crc: crc
            ),
            "the archived event is the server's, byte for byte"
        )
    }

    @Test(.timeLimit(.minutes(3)))
    func anEventClaimingAGigabyteAndCutAfterFourHundredMegabytesIsCutBackOff() async throws {
        let size = (1 << 30) - 1  // the largest event a server writes, so not refused at its header
        let (header, _) = HostileBinlog.longEvent(size: 1024)
        var claiming = header
        claiming.replaceSubrange(9..<13, with: HostileBinlog.littleEndian(UInt32(size)))
        claiming.replaceSubrange(
            13..<17,
            with: HostileBinlog.littleEndian(UInt32(truncatingIfNeeded: Int(HostileBinlog.longEventStart) + size))
        )
        let server = try Self.longEventServer { [claiming] connection in
            try HostileBinlog.sendLongEvent(
                connection,
                size: size,
                header: claiming,
                crc: 0,
                cutAfter: 400_000_000,
                firstSequenceID: 3
            )
        }
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(["binlog", "archive", "--to", directory, "--retries", "1"], against: server)
        Self.report("1 GiB event cut after 400 MB", outcome)
        #expect(outcome.status != 0 && outcome.status < 128, "\(outcome.output)")
        #expect(outcome.peakResidentBytes > 1 << 20, "no plausible peak measured")
        #expect(outcome.peakResidentBytes < Self.memoryLimit, "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB")
        #expect(outcome.output.contains("127.0.0.1"), "\(outcome.output)")
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart, "the partial event is cut off the file")
    }

    @Test(.timeLimit(.minutes(3)))
    func aLongEventWithABadChecksumIsRefusedAndCutBackOff() async throws {
        let size = 200_000_000
        let (header, crc) = HostileBinlog.longEvent(size: size)
        let server = try Self.longEventServer { connection in
            try HostileBinlog.sendLongEvent(connection, size: size, header: header, crc: crc ^ 1, firstSequenceID: 3)
        }
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(["binlog", "archive", "--to", directory, "--retries", "1"], against: server)
        Self.report("200 MB event with a bad CRC32", outcome)
        #expect(outcome.status != 0 && outcome.status < 128, "\(outcome.output)")
        #expect(outcome.peakResidentBytes < Self.memoryLimit, "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB")
        #expect(outcome.output.contains("CRC32"), "\(outcome.output)")
        #expect(
            outcome.output.contains("\(HostileBinlog.longEventStart)"),
            "names the event's offset: \(outcome.output)"
        )
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart, "the damaged event is cut off the file")
    }

    @Test(.timeLimit(.minutes(4)))
    func archiveFollowRetriesAStreamCutInsideALongEventInBoundedMemory() async throws {
        let size = (1 << 30) - 1
        let (header, _) = HostileBinlog.longEvent(size: 1024)
        var claiming = header
        claiming.replaceSubrange(9..<13, with: HostileBinlog.littleEndian(UInt32(size)))
        claiming.replaceSubrange(
            13..<17,
            with: HostileBinlog.littleEndian(UInt32(truncatingIfNeeded: Int(HostileBinlog.longEventStart) + size))
        )
        let server = try Self.longEventServer { [claiming] connection in
            try HostileBinlog.sendLongEvent(
                connection,
                size: size,
                header: claiming,
                crc: 0,
                cutAfter: 150_000_000,
                firstSequenceID: 3
            )
        }
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(
            ["binlog", "archive", "--to", directory, "--follow", "--max-backoff", "1"],
            against: server,
            stopAfterConnections: 3,
            // Each connection streams 150 MB before the cut: 17 s on a loaded CI machine, so 30 s is not enough.
            within: .seconds(180)
        )
        Self.report("follow, event cut after 150 MB on every connection", outcome)
        #expect(server.connections >= 3, "\(outcome.output)")
        #expect(outcome.output.contains("retry"), "\(outcome.output)")
        #expect(outcome.peakResidentBytes < Self.memoryLimit, "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB")
        #expect(outcome.status == 0, "SIGTERM is a clean stop: \(outcome.output)")
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart, "no partial event is left in the file")
    }
}
