import Foundation
import RewindTestSupport
import Testing

/// Acceptance 1 (c) and 2: stop points by time (between two transactions a second apart, and inside a
/// multi-statement transaction: never half of it), and twenty random stop points (GTID, `--before`, position) in a
/// random workload across binlog files, each restored and compared with the source's rows at that moment.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreStopPointTests {
    @Test(.timeLimit(.minutes(10))) func timesAndTwentyRandomStopPoints() async throws {
        try await SandboxInstance.withInstance(named: "rs-stop") { source in
            try await source.root(
                """
                CREATE DATABASE rnd;
                USE rnd;
                CREATE TABLE rnd.t (id INT PRIMARY KEY, v BIGINT, note VARCHAR(40), d DECIMAL(10,3), at DATETIME(6));
                INSERT INTO rnd.t SELECT seq, seq * 7, CONCAT('n', seq), seq / 8, '2026-01-01 00:00:00.5' FROM seq_1_to_100;
                """
            )
            let catalog = try temporaryDirectory("rs-stop-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["rnd"], catalog: catalog)

            // Random transactions, with the rows after each (the oracle) and its GTID and end position.
            var generator = SplitMix64(seed: 20_261_130)
            var nextID = 101
            var points: [(gtid: String, end: (file: String, offset: UInt64), rows: String)] = []
            let initial = try await source.rows("rnd")
            for index in 0..<40 {
                var statements = [
                    "INSERT INTO rnd.t VALUES (\(nextID), \(generator.next() % 1000), 'tx\(index)', 1.5, NOW(6))"
                ]
                nextID += 1
                for _ in 0..<Int(generator.next() % 4) {
                    let id = Int(generator.next() % UInt64(nextID - 1)) + 1
                    switch generator.next() % 3 {
                    case 0: statements.append("UPDATE rnd.t SET v = v + 1, note = 'u\(index)' WHERE id = \(id)")
                    case 1: statements.append("DELETE FROM rnd.t WHERE id = \(id)")
                    default:
                        statements.append("INSERT INTO rnd.t VALUES (\(nextID), \(index), NULL, NULL, NULL)")
                        nextID += 1
                    }
                }
                try await source.root("BEGIN; " + statements.joined(separator: "; ") + "; COMMIT")
                if generator.next() % 6 == 0 { try await source.root("FLUSH BINARY LOGS") }
                points.append((try await source.lastGTID(), try await source.position(), try await source.rows("rnd")))
            }

            // (c) Two transactions a second apart, then one that spans two seconds.
            try await source.root("INSERT INTO rnd.t VALUES (9001, 1, 'first', 0, NOW(6))")
            let afterFirst = try await source.rows("rnd")
            let firstCommitted = Date()
            try await Task.sleep(for: .milliseconds(1600))
            let between = firstCommitted.addingTimeInterval(0.8)
            let spanning = Task {
                try await source.root(
                    "BEGIN; INSERT INTO rnd.t VALUES (9002, 2, 'second', 0, NOW(6)); DO SLEEP(3); "
                        + "INSERT INTO rnd.t VALUES (9003, 3, 'second', 0, NOW(6)); COMMIT")
            }
            // The stop time must fall inside the transaction: taken while the server is in its sleep (after the
            // first INSERT), and checked to be so afterwards. A fixed wait here failed when the test pool was busy.
            let sleeping = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP%'"
            let deadline = Date().addingTimeInterval(60)
            while try await source.root(sleeping).trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                try #require(Date() < deadline, "the spanning transaction never reached its sleep")
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(300))
            let inside = Date()
            try #require(
                try await source.root(sleeping).trimmingCharacters(in: .whitespacesAndNewlines) == "1",
                "the spanning transaction ended before the stop time was taken: the machine was too slow for this check"
            )
            try await spanning.value
            let afterSecond = try await source.rows("rnd")
            #expect(afterSecond != afterFirst)

            let binlogs = source.binlogDirectory
            try await SandboxInstance.withInstance(named: "rs-stop-dst", options: ["--skip-log-bin"]) { target in
                func restored(_ stop: [String]) async throws -> String {
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--force", "--defaults-file",
                            target.defaultsFile ?? "",
                        ] + stop)
                    #expect(run.status == 0, "\(stop): \(run.output)")
                    return try await target.rows("rnd")
                }
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                let betweenRows = try await restored(["--until-datetime", formatter.string(from: between)])
                #expect(betweenRows == afterFirst, "a second after the first transaction")
                let insideRows = try await restored(["--until-datetime", formatter.string(from: inside)])
                #expect(insideRows == afterFirst, "inside the spanning transaction: none of it")
                let endRows = try await restored([])
                #expect(endRows == afterSecond)
                // A time after everything the binlogs hold goes to their end, and the plan says they end before it.
                let late = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", binlogs, "--force", "--dry-run", "--defaults-file",
                        target.defaultsFile ?? "", "--until-datetime",
                        formatter.string(from: Date(timeIntervalSince1970: 4_070_908_800)),
                    ])
                #expect(late.status == 0, "\(late.output)")
                #expect(
                    late.output.contains("none — the end of the binlogs, before --until-datetime"), "\(late.output)")

                var chosen = SplitMix64(seed: 7)
                for round in 0..<20 {
                    let index = Int(chosen.next() % UInt64(points.count))
                    let point = points[index]
                    switch round % 3 {
                    case 0:
                        let got = try await restored(["--until-gtid", point.gtid])
                        #expect(got == point.rows, "--until-gtid \(point.gtid)")
                    case 1:
                        let expected = index == 0 ? initial : points[index - 1].rows
                        let got = try await restored(["--before", point.gtid])
                        #expect(got == expected, "--before \(point.gtid)")
                    default:
                        let stop = "\(point.end.file):\(point.end.offset)"
                        let got = try await restored(["--until-position", stop])
                        #expect(got == point.rows, "--until-position \(stop)")
                    }
                }
            }
        }
    }
}
