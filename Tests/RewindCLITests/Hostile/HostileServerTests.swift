import Foundation
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real `rewind` binary against servers that flood, trickle and lie: each case ends in a clear error within
/// `--connect-timeout` (or, with `--follow`, is retried), and the process's peak memory stays under 100 MB.
@Suite(.serialized) struct HostileServerTests {
    static let memoryLimit = 100 * 1024 * 1024
    static let connectTimeout = 4

    struct Outcome {
        var status: Int32
        /// How long the client stayed connected, as the server saw it (each connection).
        var sessions: [Double]
        var peakResidentBytes: Int
        var seconds: Double
        var output: String
    }

    /// Runs `rewind arguments…` against `server` and waits for it (at most `killAfter` seconds, then SIGTERM).
    static func run(
        _ arguments: [String],
        against server: HostileServer,
        stopAfterConnections: Int? = nil,
        within connectionDeadline: Duration = .seconds(30),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-hostile-\(UUID()).out")
            .path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var environment = environment
        environment["MYSQL_PWD"] = "not-a-secret"
        let connection = [
            "--host", "127.0.0.1", "--port", "\(server.port)", "--user", "hostile",
            "--connect-timeout", "\(Self.connectTimeout)",
        ]
        let start = ContinuousClock.now
        let child = try ChildProcess(
            PeakMemory.command([try ChildProcess.rewindExecutable] + arguments + connection),
            outputPath: outputPath,
            environment: environment
        )
        if let stopAfterConnections {
            // Watches the server until the client has come back often enough (or `connectionDeadline` passed), then
            // stops it.
            let deadline = ContinuousClock.now + connectionDeadline
            while server.connections < stopAfterConnections && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            child.signal(SIGTERM)
        }
        let status = await child.wait()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let output = child.output
        let peak = try #require(PeakMemory.peakResidentBytes(in: output), "\(output)")
        return Outcome(
            status: status,
            sessions: await server.finishedSessions(),
            peakResidentBytes: peak,
            seconds: seconds,
            output: output
        )
    }

    static func expectBounded(
        _ outcome: Outcome, mentions text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(outcome.status != 0, "exit status 0: \(outcome.output)", sourceLocation: sourceLocation)
        #expect(outcome.status < 128, "killed by signal: \(outcome.output)", sourceLocation: sourceLocation)
        #expect(outcome.peakResidentBytes > 1 << 20, "no plausible peak measured", sourceLocation: sourceLocation)
        #expect(
            outcome.peakResidentBytes < Self.memoryLimit,
            "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB",
            sourceLocation: sourceLocation
        )
        // The client leaves within --connect-timeout (the server's view: start-up time on a loaded machine is
        // not the client's timeout); the whole process, start-up included, ends soon after.
        #expect(!outcome.sessions.isEmpty, sourceLocation: sourceLocation)
        #expect(
            (outcome.sessions.max() ?? .infinity) < Double(Self.connectTimeout) + 1.5,
            "connected for \(outcome.sessions) s with --connect-timeout \(Self.connectTimeout)",
            sourceLocation: sourceLocation
        )
        #expect(
            outcome.seconds < Double(Self.connectTimeout) + 30, "ran \(outcome.seconds) s",
            sourceLocation: sourceLocation)
        #expect(outcome.output.contains(text), "\(outcome.output)", sourceLocation: sourceLocation)
        #expect(!outcome.output.contains("not-a-secret"), sourceLocation: sourceLocation)
        print(
            "hostile server, line \(sourceLocation.line): exit \(outcome.status), peak RSS "
                + "\(outcome.peakResidentBytes / 1_048_576) MiB, connected \(outcome.sessions.map { String(format: "%.2f", $0) }) s, "
                + "process \(String(format: "%.2f", outcome.seconds)) s; "
                + (outcome.output.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? "")
        )
    }

    /// Runs `rewind binlog archive --to DIR --follow --max-backoff 1` against `server` until it has connected three
    /// times (or `within` has passed), then stops it with SIGTERM; returns the outcome and the size of the archived
    /// file (DIR is removed).
    static func archiveFollowing(
        against server: HostileServer, within deadline: Duration = .seconds(30)
    ) async throws -> (outcome: Outcome, archivedSize: UInt64?) {
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(
            ["binlog", "archive", "--to", directory, "--follow", "--max-backoff", "1"],
            against: server,
            stopAfterConnections: 3,
            within: deadline
        )
        return (outcome, Self.archivedSize(directory))
    }

    /// `--follow` against a server that fails every connection: the client came back (at least three connections),
    /// said it retries, stayed under ``memoryLimit``, and stopped cleanly on SIGTERM.
    static func expectRetriedInBoundedMemory(
        _ outcome: Outcome, server: HostileServer, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(server.connections >= 3, "\(outcome.output)", sourceLocation: sourceLocation)
        #expect(outcome.output.contains("retry"), "\(outcome.output)", sourceLocation: sourceLocation)
        #expect(
            outcome.peakResidentBytes < Self.memoryLimit,
            "peak RSS \(outcome.peakResidentBytes / 1_048_576) MiB",
            sourceLocation: sourceLocation
        )
        #expect(outcome.status == 0, "SIGTERM is a clean stop: \(outcome.output)", sourceLocation: sourceLocation)
    }

    @Test(.timeLimit(.minutes(10)))
    func aGreetingFloodOfContinuationPacketsIsRefusedAtItsHeader() async throws {
        let server = try HostileServer { connection in
            try connection.write([0xFF, 0xFF, 0xFF, 0x00])
            try connection.flood(2 << 30)  // 2 GiB, or until the client leaves
        }
        defer { server.stop() }
        let outcome = try await Self.run(["status"], against: server)
        Self.expectBounded(outcome, mentions: "before login")
    }

    @Test(.timeLimit(.minutes(10)))
    func anAuthAnswerFloodIsRefusedAtItsHeader() async throws {
        let server = try HostileServer { connection in
            try connection.packet(HostileConnection.greeting, sequenceID: 0)
            _ = try connection.receive()
            for sequenceID in UInt8(2)...UInt8(200) {
                try connection.write([0xFF, 0xFF, 0xFF, sequenceID])
                try connection.flood(0xFF_FFFF)
            }
        }
        defer { server.stop() }
        let outcome = try await Self.run(["status"], against: server)
        Self.expectBounded(outcome, mentions: "before login")
    }

    @Test(.timeLimit(.minutes(10)))
    func aGreetingTrickledOneByteAtATimeEndsAtTheConnectTimeout() async throws {
        let server = try HostileServer { connection in
            var greeting = HostileConnection.greeting
            greeting = [UInt8(greeting.count), 0, 0, 0] + greeting
            for byte in greeting {
                try connection.write([byte])
                Thread.sleep(forTimeInterval: 0.5)  // the attack: one byte every half second
            }
        }
        defer { server.stop() }
        let outcome = try await Self.run(["status"], against: server)
        Self.expectBounded(outcome, mentions: "longer than")
        #expect((outcome.sessions.max() ?? 0) >= Double(Self.connectTimeout) - 0.5, "it is the timeout that ends it")
    }

    @Test(.timeLimit(.minutes(10)))
    func aPacketLengthThatLiesEndsAtTheConnectTimeout() async throws {
        let server = try HostileServer { connection in
            // Announces 60,000 bytes (under the handshake limit), sends 30 and then nothing.
            try connection.write([0x60, 0xEA, 0x00, 0x00] + Array(HostileConnection.greeting.prefix(30)))
            _ = try? connection.receive()  // holds the connection open until the client leaves
        }
        defer { server.stop() }
        let outcome = try await Self.run(["status"], against: server)
        Self.expectBounded(outcome, mentions: "longer than")
    }

    @Test(.timeLimit(.minutes(10)))
    func aGreetingWhoseFieldsLieIsAProtocolError() async throws {
        let server = try HostileServer { connection in
            var greeting = Array(HostileConnection.greeting.prefix(40))
            greeting[greeting.count - 1] = 0xFF  // cut mid-field: lengths inside point past the end
            try connection.packet(greeting, sequenceID: 0)
            _ = try? connection.receive()
        }
        defer { server.stop() }
        let outcome = try await Self.run(["status"], against: server)
        Self.expectBounded(outcome, mentions: "127.0.0.1")
        #expect((outcome.sessions.max() ?? .infinity) < Double(Self.connectTimeout), "a protocol error, not a timeout")
    }

    /// After login, on `COM_BINLOG_DUMP`: one event whose header claims 4 GiB, followed by 400 MB of bytes.
    static func fourGigabyteEventServer() throws -> HostileServer {
        try HostileServer { connection in
            try connection.loginAndAnswerUntilBinlogDump()
            var header: [UInt8] = [0x00, 0, 0, 0, 0, 30, 7, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]
            header += Array(repeating: 0, count: 0xFF_FFFF - header.count)
            try connection.write([0xFF, 0xFF, 0xFF, 0x01] + header)
            for sequenceID in UInt8(2)...UInt8(25) {
                try connection.write([0xFF, 0xFF, 0xFF, sequenceID])
                try connection.flood(0xFF_FFFF)
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func anArchivedEventClaimingFourGigabytesIsRefusedAtItsFirstFragment() async throws {
        let server = try Self.fourGigabyteEventServer()
        defer { server.stop() }
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(["binlog", "archive", "--to", directory, "--retries", "1"], against: server)
        Self.expectBounded(outcome, mentions: "4294967295")
    }

    @Test(.timeLimit(.minutes(10)))
    func aRemoteShowOfAnEventClaimingFourGigabytesIsRefused() async throws {
        let server = try Self.fourGigabyteEventServer()
        defer { server.stop() }
        let outcome = try await Self.run(["binlog", "show", "--remote", "binlog.000001"], against: server)
        Self.expectBounded(outcome, mentions: "4294967295")
    }

    @Test(.timeLimit(.minutes(10)))
    func archiveFollowRetriesAHostileServerWithBackoffInBoundedMemory() async throws {
        let server = try Self.fourGigabyteEventServer()
        defer { server.stop() }
        let (outcome, _) = try await Self.archiveFollowing(against: server)
        Self.expectRetriedInBoundedMemory(outcome, server: server)
    }
}
