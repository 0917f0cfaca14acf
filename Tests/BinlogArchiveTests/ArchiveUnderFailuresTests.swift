import Foundation
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #3, acceptance 3: `rewind binlog archive --follow` keeps byte-identical copies while a workload writes, the
/// server rotates its logs, the archiver is killed with SIGKILL at random moments and the server restarts once.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
struct ArchiveUnderFailuresTests {
    @Test(.timeLimit(.minutes(10)))
    func archiveSurvivesKillsRotationsAndARestart() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["REWIND_TEST_SEED"] ?? "") ?? 20_261_125
        let rewind = try ChildProcess.rewindExecutable
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-kill")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }

        // Small files: the server rotates by size as well as on FLUSH BINARY LOGS.
        try await SandboxInstance.withInstance(named: "archive-kill", options: ["--max-binlog-size=65536"]) { server in
            try await server.sql(
                "CREATE DATABASE w; CREATE TABLE w.t (id INT AUTO_INCREMENT PRIMARY KEY, n INT, v TEXT, b BLOB)"
            )
            let archiveArguments = [
                rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory,
                "--follow", "--heartbeat", "1", "--max-backoff", "1",
            ]
            var archiver = try ChildProcess(archiveArguments, outputPath: log)

            // The workload runs in its own task; statements that hit the restarting server are retried.
            let workload = Task {
                var random = SplitMix64(seed: seed)
                for round in 1...240 {
                    let size = Int.random(in: 10...3000, using: &random)
                    let statement =
                        round % 40 == 0
                        ? "FLUSH BINARY LOGS"
                        : """
                        INSERT INTO w.t (n, v, b) VALUES (\(round), REPEAT('é', \(size)), RANDOM_BYTES(\(size % 1024 + 1))),
                          (\(round), NULL, NULL);
                        UPDATE w.t SET n = n + 1, v = CONCAT(IFNULL(v, ''), 'u') WHERE id % 5 = \(round % 5);
                        DELETE FROM w.t WHERE id % 11 = \(round % 11) AND n < \(round - 20)
                        """
                    for attempt in 1...100 {
                        do {
                            try await server.sql(statement)
                            break
                        } catch {
                            if attempt == 100 { throw error }
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
            }

            // Meanwhile: SIGKILL the archiver six times at random moments, restart the server after the third.
            var random = SplitMix64(seed: seed ^ 0xA5A5)
            var kills = 0
            for round in 1...6 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500, using: &random)))
                archiver.signal(SIGKILL)
                #expect(await archiver.wait() == 128 + SIGKILL)
                kills += 1
                if round == 2 {
                    // A torn write: the start of an event (a header claiming 500 bytes, then 11 of them).
                    try Self.appendPartialEvent(toLastFileIn: directory)
                }
                let connected = {
                    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(
                        separatedBy: "event=connected"
                    )
                    .count - 1
                }
                let connectedBefore = connected()
                archiver = try ChildProcess(archiveArguments, outputPath: log)
                if round == 3 {
                    // While an archiver streams: it must notice, retry with backoff and go on after the STOP event.
                    let deadline = ContinuousClock.now + .seconds(20)
                    while connected() == connectedBefore && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    _ = try await SandboxInstance.runOffPool(["restart", SandboxInstance.qualified("archive-kill")])
                }
            }
            try await workload.value
            try await server.sql("FLUSH BINARY LOGS; INSERT INTO w.t (n) VALUES (-1)")

            // Wait until the archive has caught up with every file the server has.
            let deadline = ContinuousClock.now + .seconds(90)
            var logs = try await server.binaryLogs()
            while ContinuousClock.now < deadline {
                logs = try await server.binaryLogs()
                let caughtUp = logs.allSatisfy { ArchiveTestFiles.size(directory + "/" + $0.name) == $0.size }
                if caughtUp { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            archiver.signal(SIGTERM)
            let status = await archiver.wait()
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "archiver exit status \(status); log:\n\(output.suffix(3000))")
            #expect(kills == 6)
            let count = { (needle: String) in output.components(separatedBy: needle).count - 1 }
            print(
                "archive under failures (seed \(seed)): \(logs.count) files, \(logs.map(\.size).reduce(0, +)) bytes, "
                    + "\(kills) kills, \(count("event=connected")) connections, \(count("event=retrying")) retries, "
                    + "\(count("event=partial_event_cut")) partial events cut"
            )
            #expect(logs.count >= 8, "only \(logs.count) binlog files; the workload should rotate more")
            #expect(output.contains("event=retrying"), "the server restart should have made the archiver retry")

            // Every server file, byte for byte (sha256), the open last one included.
            for file in logs {
                let ours = directory + "/" + file.name
                let theirs = server.binlogDirectory + "/" + file.name
                #expect(
                    try ArchiveTestFiles.sha256(ours) == ArchiveTestFiles.sha256(theirs),
                    "\(file.name) differs: archive \(ArchiveTestFiles.size(ours) ?? 0) bytes, server \(file.size)"
                )
            }
            let index =
                try JSONSerialization.jsonObject(
                    with: try #require(FileManager.default.contents(atPath: directory + "/rewind-archive.json"))
                ) as? [String: Any]
            let files = index?["files"] as? [[String: Any]] ?? []
            #expect(files.map { $0["name"] as? String ?? "" } == logs.map(\.name))
            #expect(files.dropLast().allSatisfy { $0["state"] as? String == "complete" })
            #expect((index?["gaps"] as? [Any])?.isEmpty == true)
            #expect(
                files.contains { $0["ending"] as? String == "stop" }, "the restart's STOP event should end one file")
            #expect(count("event=partial_event_cut") >= 1, "the torn write should have been cut off")
        }
    }

    /// A server that goes silent (SIGSTOP: no FIN, no RST, as a dead network path looks) is noticed by the heartbeat
    /// timeout; the archiver retries until the server answers again and goes on without a gap.
    @Test(.timeLimit(.minutes(10)))
    func aSilentServerIsNoticedAndTheArchiveGoesOn() async throws {
        let rewind = try ChildProcess.rewindExecutable
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-stall")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        try await SandboxInstance.withInstance(named: "archive-stall") { server in
            try await server.sql(
                "CREATE DATABASE s; CREATE TABLE s.t (id INT PRIMARY KEY, v TEXT); INSERT INTO s.t VALUES (1, 'a')")
            let archiver = try ChildProcess(
                [
                    rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory,
                    "--follow", "--heartbeat", "1", "--max-backoff", "1", "--connect-timeout", "2",
                ],
                outputPath: log
            )
            let pidFile = URL(fileURLWithPath: server.binlogDirectory).deletingLastPathComponent()
                .appendingPathComponent("pid")
            let serverPID = try #require(
                Int32(try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
            )
            // Idle longer than the silence limit: the heartbeats (every second) keep the stream alive meanwhile.
            try await Task.sleep(for: .seconds(10))
            #expect(
                !archiver.output.contains("event=retrying"),
                "heartbeats should keep an idle stream:\n\(archiver.output)")
            kill(serverPID, SIGSTOP)
            try await Task.sleep(for: .seconds(11))  // past the idle limit (3 heartbeats + 5 s)
            kill(serverPID, SIGCONT)
            try await server.sql(
                "INSERT INTO s.t VALUES (2, REPEAT('b', 5000)); FLUSH BINARY LOGS; INSERT INTO s.t VALUES (3, 'c')")

            let deadline = ContinuousClock.now + .seconds(60)
            var logs = try await server.binaryLogs()
            while ContinuousClock.now < deadline {
                logs = try await server.binaryLogs()
                if logs.allSatisfy({ ArchiveTestFiles.size(directory + "/" + $0.name) == $0.size }) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            archiver.signal(SIGTERM)
            let status = await archiver.wait()
            let output = archiver.output
            #expect(status == 0, "\(output)")
            #expect(output.contains("nothing arrived from the server"), "the silence should be a timeout:\n\(output)")
            for file in logs {
                #expect(
                    try ArchiveTestFiles.sha256(directory + "/" + file.name)
                        == ArchiveTestFiles.sha256(server.binlogDirectory + "/" + file.name),
                    "\(file.name)"
                )
            }
        }
    }

    static func appendPartialEvent(toLastFileIn directory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("mysql-bin.") }
        let last = try #require(names.max(), "no archived file yet")
        var bytes: [UInt8] = [0x10, 0x20, 0x30, 0x40, 0x02, 0x01, 0x00, 0x00, 0x00]  // timestamp, QUERY, server_id 1
        bytes += [0xF4, 0x01, 0x00, 0x00]  // event_size 500
        bytes += [UInt8](repeating: 0xAB, count: 17)
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/" + last))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try handle.close()
    }
}
