import Foundation
import RewindTestSupport
import Testing

/// Acceptance 1 (g, h): a 40 MB row event restored into a target with the default `max_allowed_packet`, and a
/// restore killed (SIGKILL) in the middle of the apply, run again, ends with the rows of an uninterrupted one (the
/// source's own rows, here).
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreInterruptionTests {
    @Test(.timeLimit(.minutes(10))) func aBigRowEventAndAKilledRestore() async throws {
        try await SandboxInstance.withInstance(
            named: "rs-big", options: ["--binlog-row-event-max-size=67108864"]
        ) { source in
            try await source.root(
                """
                CREATE DATABASE big;
                CREATE TABLE big.blobs (id INT PRIMARY KEY, body MEDIUMTEXT);
                CREATE TABLE big.events (id INT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(10), n BIGINT);
                INSERT INTO big.events (kind, n) VALUES ('seed', 0);
                """
            )
            let catalog = try temporaryDirectory("rs-big-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["big"], catalog: catalog)
            // One statement of 40 MB of rows: one row event (binlog_row_event_max_size is 64 MB here).
            try await source.root(
                "USE big; INSERT INTO big.blobs SELECT seq, REPEAT(CHAR(65 + seq % 26), 2000) FROM seq_1_to_20000")
            let file = try await source.position().file
            let events = try await source.root("SHOW BINLOG EVENTS IN '\(file)'").split(separator: "\n")
            let biggest =
                events.compactMap { line -> Int? in
                    let fields = line.split(separator: "\t")
                    guard fields.count > 4, fields[2].hasPrefix("Write_rows"), let start = Int(fields[1]),
                        let end = Int(fields[4])
                    else { return nil }
                    return end - start
                }.max() ?? 0
            #expect(biggest > 40_000_000, "the biggest row event has \(biggest) bytes")
            // A database created after the backup (a restart must know it again), then 3000 small transactions, so
            // that a kill lands in the middle of the apply, and rows of the new database at the end.
            try await source.root("CREATE DATABASE late; CREATE TABLE late.t (id INT PRIMARY KEY, v VARCHAR(10))")
            try await shell(
                "for i in $(seq 1 3000); do echo \"INSERT INTO big.events (kind, n) VALUES ('k', $i);\"; done | \(source.client)"
            )
            try await source.root("UPDATE big.blobs SET body = 'short' WHERE id % 100 = 0")
            try await source.root("INSERT INTO late.t VALUES (1, 'a'), (2, 'b')")
            let expected = try await source.rows("big")
            let expectedLate = try await source.rows("late")
            let binlogs = source.binlogDirectory

            // On parallel workers (the applied set) and on one connection (the progress record alone).
            for threads in ["2", "1"] {
                try await SandboxInstance.withInstance(named: "rs-big-dst\(threads)", options: ["--skip-log-bin"]) {
                    target in
                    let packet = try await target.root("SELECT @@max_allowed_packet").trimmingCharacters(
                        in: .whitespacesAndNewlines)
                    #expect(Int(packet)! <= 16 << 20, "the target must keep a small max_allowed_packet (\(packet))")
                    let log = try temporaryDirectory("rs-big-log") + "/restore.log"
                    let arguments = [
                        try ChildProcess.rewindExecutable, "restore", "--backup", backup, "--binlogs", binlogs,
                        "--defaults-file", target.defaultsFile ?? "", "--threads", threads,
                    ]
                    // Small commit groups (a knob for tests), and a pause once 1500 transactions are durable (a test hook:
                    // the restore then waits to be killed), so that the kill lands mid-apply however fast the machine.
                    var environment = ProcessInfo.processInfo.environment
                    environment["REWIND_RESTORE_GROUP_TRANSACTIONS"] = "7"
                    environment["REWIND_RESTORE_PAUSE_AFTER_TRANSACTIONS"] = "1500"
                    let first = try ChildProcess(arguments, outputPath: log, environment: environment)
                    // Kill it once it has paused there.
                    var applied = 0
                    for _ in 0..<1200 {  // up to four minutes on a busy machine
                        // The folded count plus the transactions the parallel workers recorded since.
                        let count =
                            threads == "1"
                            ? "SELECT applied FROM rewind_restore.progress"
                            : "SELECT applied + (SELECT COUNT(*) FROM rewind_restore.applied) FROM rewind_restore.progress"
                        let text = (try? await target.root(count)) ?? ""
                        applied = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                        if applied >= 1500 { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    first.signal(SIGKILL)
                    _ = await first.wait()
                    #expect(
                        applied >= 1500 && applied < 3005,
                        "--threads \(threads): the restore was not killed mid-apply (\(applied) applied): \(first.output)"
                    )
                    let again = try await rewind(Array(arguments.dropFirst()))
                    #expect(again.status == 0, "\(again.output)")
                    #expect(again.output.contains("continued an interrupted restore"), "\(again.output)")
                    #expect(try await target.rows("big") == expected)
                    #expect(try await target.rows("late") == expectedLate)
                    #expect(
                        Int(
                            try await target.root("SELECT @@max_allowed_packet").trimmingCharacters(
                                in: .whitespacesAndNewlines)) == Int(packet))
                }
            }
        }
    }
}
