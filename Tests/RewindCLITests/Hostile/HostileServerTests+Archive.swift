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
    /// How a single `rewind binlog archive` run (no `--follow`) of a long event must end.
    enum ArchiveEnd {
        /// Exit status 0: the event is stored.
        case stored
        /// A plain failure (not a signal): the event is refused.
        case refused
    }

    /// A server that starts the dump at `binlog.000001` (at the position asked for), sends the FORMAT_DESCRIPTION
    /// and then `event`, then the end of the non-blocking dump.
    static func longEventServer(sending event: HostileLongEvent) throws -> HostileServer {
        try HostileServer { connection in
            let dump = try connection.loginAndAnswerUntilBinlogDump(checksum: "CRC32")
            // COM_BINLOG_DUMP: 0x12, then the position (4 bytes, little-endian).
            let position = dump.count >= 5 ? (1...4).reduce(UInt64(0)) { $0 | UInt64(dump[$1]) << (8 * ($1 - 1)) } : 4
            try connection.packet([0x00] + HostileBinlog.rotate(position: position), sequenceID: 1)
            try connection.packet([0x00] + HostileBinlog.formatDescription, sequenceID: 2)
            let next = try event.send(on: connection)
            try connection.packet(HostileConnection.eof, sequenceID: next)
            _ = try? connection.receive()  // until the client leaves
        }
    }

    /// A path for an archive directory (not created; the caller removes it).
    static func scratchDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID())").path
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

    /// Runs `rewind binlog archive --to destination --retries 1` against `server`, prints its figures as `label`,
    /// and checks that it ended as `end` says and that its peak memory was measured and stayed under
    /// ``memoryLimit``.
    static func archiveOnce(
        to destination: String,
        against server: HostileServer,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        label: String,
        expecting end: ArchiveEnd,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Outcome {
        let outcome = try await Self.run(
            ["binlog", "archive", "--to", destination, "--retries", "1"],
            against: server,
            environment: environment
        )
        Self.report(label, outcome)
        switch end {
        case .stored:
            #expect(outcome.status == 0, "\(outcome.output)", sourceLocation: sourceLocation)
        case .refused:
            #expect(outcome.status != 0 && outcome.status < 128, "\(outcome.output)", sourceLocation: sourceLocation)
        }
        #expect(outcome.peakResidentBytes > 1 << 20, "no plausible peak measured", sourceLocation: sourceLocation)
        #expect(
            outcome.peakResidentBytes < Self.memoryLimit,
            "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB",
            sourceLocation: sourceLocation
        )
        return outcome
    }

    @Test(.timeLimit(.minutes(10)))
    func aThreeHundredMegabyteEventIsArchivedAsItArrivesInBoundedMemory() async throws {
        let event = HostileLongEvent.whole(size: 300_000_000)
        let server = try Self.longEventServer(sending: event)
        defer { server.stop() }
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try await Self.archiveOnce(
            to: directory, against: server, label: "300 MB event archived", expecting: .stored)
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart + UInt64(event.size))
        #expect(
            event.isHeld(in: directory + "/" + HostileBinlog.fileName),
            "the archived event is the server's, byte for byte"
        )
    }

    @Test(.timeLimit(.minutes(10)))
    func anEventClaimingAGigabyteAndCutAfterFourHundredMegabytesIsCutBackOff() async throws {
        // The largest event a server writes, so not refused at its header.
        let server = try Self.longEventServer(sending: .cut(claiming: (1 << 30) - 1, after: 400_000_000))
        defer { server.stop() }
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.archiveOnce(
            to: directory, against: server, label: "1 GiB event cut after 400 MB", expecting: .refused)
        #expect(outcome.output.contains("127.0.0.1"), "\(outcome.output)")
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart, "the partial event is cut off the file")
    }

    @Test(.timeLimit(.minutes(10)))
    func aLongEventWithABadChecksumIsRefusedAndCutBackOff() async throws {
        let server = try Self.longEventServer(sending: .badChecksum(size: 200_000_000))
        defer { server.stop() }
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.archiveOnce(
            to: directory, against: server, label: "200 MB event with a bad CRC32", expecting: .refused)
        #expect(outcome.output.contains("CRC32"), "\(outcome.output)")
        #expect(
            outcome.output.contains("\(HostileBinlog.longEventStart)"),
            "names the event's offset: \(outcome.output)"
        )
        #expect(Self.archivedSize(directory) == HostileBinlog.longEventStart, "the damaged event is cut off the file")
    }

    @Test(.timeLimit(.minutes(10)))
    func archiveFollowRetriesAStreamCutInsideALongEventInBoundedMemory() async throws {
        let server = try Self.longEventServer(sending: .cut(claiming: (1 << 30) - 1, after: 150_000_000))
        defer { server.stop() }
        // Each connection streams 150 MB before the cut: 17 s on a loaded CI machine, so 30 s is not enough.
        let (outcome, archivedSize) = try await Self.archiveFollowing(against: server, within: .seconds(180))
        Self.report("follow, event cut after 150 MB on every connection", outcome)
        Self.expectRetriedInBoundedMemory(outcome, server: server)
        #expect(archivedSize == HostileBinlog.longEventStart, "no partial event is left in the file")
    }
}
