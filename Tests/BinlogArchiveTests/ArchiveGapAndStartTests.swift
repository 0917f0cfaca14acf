import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Gaps (files purged before they were archived), where an empty archive starts, and refusals, on a real server.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"), .serialized)
struct ArchiveGapAndStartTests {
    static func archive(_ server: SandboxServer, _ options: ArchiveOptions) async throws -> ArchiveSummary {
        try await BinlogArchiver(configuration: server.configuration(), options: options, logger: testLogger).run { _ in
        }
    }

    /// After `RESET MASTER` the server writes a new file under the archived file's name; resumed at the archive's end,
    /// its events used to be appended to the old file's (audit, 2026-12-01: a row lost, exit 0), or, the new file
    /// being shorter, the archiver retried a raw "impossible position". Both are refused at once, nothing written: a
    /// shorter file by its size, a longer one by its FORMAT_DESCRIPTION, which the dump sends first.
    @Test(.timeLimit(.minutes(10)))
    func aBinlogResetSinceTheLastRunIsRefusedNotAppended() async throws {
        let rewind = try ChildProcess.rewindExecutable
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-reset")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await SandboxInstance.withInstance(named: "archive-reset") { server in
            try await server.sql("CREATE DATABASE r; CREATE TABLE r.t (id INT PRIMARY KEY); INSERT INTO r.t VALUES (1)")
            let first = try await Self.archive(server, ArchiveOptions(directory: directory))
            let archived = try #require(first.index.files.last)
            #expect(archived.state == .open)
            let before = try ArchiveTestFiles.sha256(directory + "/" + archived.name)
            // The new file must be started in another second than the archived one (the event's time has seconds).
            try await Task.sleep(for: .milliseconds(1100))
            try await server.sql("RESET MASTER; INSERT INTO r.t VALUES (2)")
            let log = directory + ".log"
            defer { try? FileManager.default.removeItem(atPath: log) }
            func archive() async throws -> (status: Int32, output: String) {
                let run = try ChildProcess(
                    [rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory],
                    outputPath: log
                )
                let status = await run.wait()
                return (status, run.output)
            }
            let logs = try await server.binaryLogs()
            #expect(logs.first?.name == archived.name, "the server writes a file of the same name again: \(logs)")
            #expect((logs.first?.size ?? 0) < archived.size)
            let shorter = try await archive()
            #expect(shorter.status == 1, "\(shorter.output)")
            #expect(shorter.output.contains("fewer than the \(archived.size) the archive holds"), "\(shorter.output)")
            #expect(shorter.output.contains("RESET MASTER"), "\(shorter.output)")
            #expect(!shorter.output.contains("retrying"), "no retry gets past it: \(shorter.output)")

            try await server.sql("CREATE TABLE r.pad (s TEXT); INSERT INTO r.pad VALUES (REPEAT('x', 4000))")
            #expect((try await server.binaryLogs().first?.size ?? 0) > archived.size)
            let longer = try await archive()
            #expect(longer.status == 1, "\(longer.output)")
            #expect(longer.output.contains("is not the file the archive holds under that name"), "\(longer.output)")
            #expect(longer.output.contains("RESET MASTER"), "\(longer.output)")
            #expect(try ArchiveTestFiles.sha256(directory + "/" + archived.name) == before, "nothing was written")
        }
    }

    /// Two archivers with the same replica server id: MariaDB drops the first one's dump (ERROR 4052). Retrying would
    /// drop the other's in turn; it stops with what to do (audit, 2026-12-01: a bare server error).
    @Test(.timeLimit(.minutes(10)))
    func anArchiverDroppedForAnotherWithItsServerIDSaysSo() async throws {
        let rewind = try ChildProcess.rewindExecutable
        let first = try ArchiveTestFiles.temporaryDirectory("archive-same-id-a")
        let second = try ArchiveTestFiles.temporaryDirectory("archive-same-id-b")
        defer {
            for path in [first, second, first + ".log", second + ".log"] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        try await SandboxInstance.withInstance(named: "archive-same-id") { server in
            try await server.sql("CREATE DATABASE s; CREATE TABLE s.t (id INT PRIMARY KEY); INSERT INTO s.t VALUES (1)")
            func archiver(_ directory: String) throws -> ChildProcess {
                try ChildProcess(
                    [
                        rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory,
                        "--follow",
                    ],
                    outputPath: directory + ".log")
            }
            let a = try archiver(first)
            for _ in 0..<100 where !a.output.contains("event=file_started") {
                try await Task.sleep(for: .milliseconds(100))
            }
            let b = try archiver(second)
            defer { b.signal(SIGTERM) }
            let status = await a.wait()
            #expect(status == 1, "\(a.output)")
            #expect(
                a.output.contains("another replica or archiver connected with the same replica server id"),
                "\(a.output)")
            #expect(a.output.contains("its own --server-id"), "\(a.output)")
            #expect(!a.output.contains("event=retrying"), "\(a.output)")
            b.signal(SIGTERM)
            _ = await b.wait()
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func filesPurgedBeforeArchivingAreReportedAsAGap() async throws {
        let rewind = try ChildProcess.rewindExecutable
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-gap")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await SandboxInstance.withInstance(named: "archive-gap") { server in
            try await server.sql("CREATE DATABASE g; CREATE TABLE g.t (id INT PRIMARY KEY); INSERT INTO g.t VALUES (1)")
            let first = try await Self.archive(server, ArchiveOptions(directory: directory))
            #expect(first.gaps.isEmpty)
            let openFile = try #require(first.index.files.last)
            #expect(openFile.state == .open)

            // The open file gets more events, then it and the next two are purged before the archiver runs again.
            try await server.sql(
                """
                INSERT INTO g.t VALUES (2); FLUSH BINARY LOGS; INSERT INTO g.t VALUES (3); FLUSH BINARY LOGS;
                INSERT INTO g.t VALUES (4); FLUSH BINARY LOGS; INSERT INTO g.t VALUES (5)
                """
            )
            let logs = try await server.binaryLogs()
            let current = try #require(logs.last?.name)
            try await server.sql("PURGE BINARY LOGS TO '\(current)'")

            let log = directory + ".log"
            defer { try? FileManager.default.removeItem(atPath: log) }
            let run = try ChildProcess(
                [rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory],
                outputPath: log
            )
            let status = await run.wait()
            let output = run.output
            #expect(status == 3, "exit status \(status): a gap must not look like success\n\(output)")
            #expect(output.contains("event=gap"), "\(output)")

            let index = try JSONDecoder.archive.decode(
                ArchiveIndex.self,
                from: try #require(FileManager.default.contents(atPath: directory + "/rewind-archive.json"))
            )
            let gap = try #require(index.gaps.first)
            #expect(index.gaps.count == 1)
            #expect(gap.afterFile == openFile.name && gap.afterPosition == openFile.size)
            #expect(gap.missingFiles.count == 2, "\(gap.missingFiles)")
            #expect(gap.resumedAt == current)
            #expect(index.file(named: openFile.name)?.state == .incomplete)
            // After the gap the archive goes on, byte for byte.
            #expect(
                try ArchiveTestFiles.sha256(directory + "/" + current)
                    == ArchiveTestFiles.sha256(server.binlogDirectory + "/" + current)
            )
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func startsAtTheFileOfAGTIDOrANamedFileAndRefusesWhatItCannotDo() async throws {
        try await SandboxInstance.withInstance(named: "archive-start") { server in
            try await server.sql("CREATE DATABASE s; CREATE TABLE s.t (id INT PRIMARY KEY); INSERT INTO s.t VALUES (1)")
            try await server.sql("FLUSH BINARY LOGS; INSERT INTO s.t VALUES (2); FLUSH BINARY LOGS")
            let position = try await server.sql("SELECT @@gtid_binlog_pos").trimmingCharacters(
                in: .whitespacesAndNewlines)
            try await server.sql("INSERT INTO s.t VALUES (3)")
            let logs = try await server.binaryLogs()
            let newest = try #require(logs.last?.name)

            // --from-gtid: the transaction after `position` is in the newest file; the archive starts with it, whole.
            let byGTID = try ArchiveTestFiles.temporaryDirectory("archive-gtid")
            defer { try? FileManager.default.removeItem(atPath: byGTID) }
            let summary = try await Self.archive(server, ArchiveOptions(directory: byGTID, start: .gtid(position)))
            #expect(summary.index.files.map(\.name) == [newest], "GTID position \(position)")
            #expect(
                try ArchiveTestFiles.sha256(byGTID + "/" + newest)
                    == ArchiveTestFiles.sha256(server.binlogDirectory + "/" + newest)
            )

            // --from FILE
            let byFile = try ArchiveTestFiles.temporaryDirectory("archive-file")
            defer { try? FileManager.default.removeItem(atPath: byFile) }
            let second = logs[1].name
            let fromFile = try await Self.archive(server, ArchiveOptions(directory: byFile, start: .file(second)))
            #expect(fromFile.index.files.map(\.name) == logs.dropFirst().map(\.name))
            // The index knows each file's transactions: MariaDB's GTID set is the last GTID per domain and server.
            for entry in fromFile.index.files where entry.transactions > 0 {
                #expect(entry.firstGTID != nil && entry.lastGTID != nil && entry.gtidSet == entry.lastGTID, "\(entry)")
                #expect(entry.firstEventTime != nil && entry.lastEventTime != nil)
            }
            #expect(fromFile.index.files.contains { $0.transactions > 0 })

            // A file the server does not have: the error names what it has.
            let missing = try ArchiveTestFiles.temporaryDirectory("archive-missing")
            defer { try? FileManager.default.removeItem(atPath: missing) }
            let error = await #expect(throws: ArchiveError.self) {
                try await Self.archive(server, ArchiveOptions(directory: missing, start: .file("mysql-bin.999999")))
            }
            #expect(error?.reason.contains("has \(logs[0].name) … \(newest)") == true, "\(String(describing: error))")

            // The server's own server_id is refused before anything is streamed.
            let clash = await #expect(throws: ArchiveError.self) {
                try await Self.archive(server, ArchiveOptions(directory: missing, serverID: 1))
            }
            #expect(clash?.reason.contains("--server-id 1") == true)
        }
    }

    @Test func aSecondArchiverOnTheSameDirectoryIsRefused() throws {
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-lock")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let holder = try ArchiveDirectory(path: directory)
        let error = #expect(throws: ArchiveError.self) { _ = try ArchiveDirectory(path: directory) }
        #expect(error?.reason.contains("another archiver") == true)
        withExtendedLifetime(holder) {}
    }
}

extension JSONDecoder {
    static var archive: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
