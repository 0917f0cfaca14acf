import Foundation
import RewindTestSupport
import Testing

/// The parallel apply (`--threads`) on a workload made of conflicts: counters updated in an order that matters
/// (`n = n * 31 + i`), a unique code moved from row to row (in varying letter case and trailing spaces), parent and child rows under a foreign key with a
/// cascade, a table without a key, an `ALTER TABLE` half way and a transaction bigger than the parallel buffer.
/// Oracles: the source's own rows, and `mariadb-binlog | mariadb` into a reference server; `--threads 4` and
/// `--threads 1` must both equal them.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreParallelTests {
    static func workload() -> String {
        var sql = ""
        for i in 1...1200 {
            sql += "UPDATE par.counter SET n = (n * 31 + \(i)) % 1000003 WHERE id = \(i % 10);\n"
            if i % 3 == 0 {
                // The column's collation is case-insensitive and PAD SPACE: 'c5', 'C5' and 'c5 ' are one value.
                let code = ["c\(i % 20)", "C\(i % 20)", "c\(i % 20) "][i % 3 == 0 ? (i / 3) % 3 : 0]
                let row = (i * 7) % 20 + 1
                sql +=
                    "BEGIN; UPDATE par.uniq SET code = NULL WHERE code = '\(code)'; "
                    + "UPDATE par.uniq SET code = '\(code)', v = \(i) WHERE id = \(row); COMMIT;\n"
            }
            if i % 5 == 0 {
                sql +=
                    "BEGIN; INSERT INTO par.parent VALUES (\(i), 'p\(i)'); INSERT INTO par.child VALUES (\(i), \(i)), (\(i + 100000), \(i)); COMMIT;\n"
            }
            if i % 35 == 0 { sql += "DELETE FROM par.parent WHERE id = \(i - 15);\n" }
            if i % 4 == 0 { sql += "INSERT INTO par.nokey VALUES (\(i % 7), 'x\(i % 3)');\n" }
            if i % 9 == 0 { sql += "DELETE FROM par.nokey WHERE a = \(i % 7) LIMIT 1;\n" }
            if i % 11 == 0 { sql += "UPDATE par.nokey SET b = 'u\(i)' WHERE a = \(i % 5);\n" }
            if i == 600 {
                sql += "ALTER TABLE par.uniq ADD COLUMN extra INT NOT NULL DEFAULT 7;\n"
                // About 12 MB.
                sql += "USE par; INSERT INTO par.blob SELECT seq, REPEAT('b', 60000) FROM seq_1_to_200;\n"
            }
        }
        return sql
    }

    @Test(.timeLimit(.minutes(10))) func conflictsApplyInCommitOrder() async throws {
        try await SandboxInstance.withInstance(named: "rs-par") { source in
            try await source.root(
                """
                CREATE DATABASE par;
                USE par;
                CREATE TABLE par.counter (id INT PRIMARY KEY, n BIGINT NOT NULL);
                CREATE TABLE par.uniq (id INT PRIMARY KEY, code VARCHAR(10) NULL UNIQUE, v INT);
                CREATE TABLE par.parent (id INT PRIMARY KEY, name VARCHAR(20));
                CREATE TABLE par.child (id INT PRIMARY KEY, parent_id INT NOT NULL,
                  FOREIGN KEY (parent_id) REFERENCES par.parent (id) ON DELETE CASCADE);
                CREATE TABLE par.nokey (a INT, b VARCHAR(20));
                CREATE TABLE par.blob (id INT PRIMARY KEY, body MEDIUMTEXT);
                INSERT INTO par.counter SELECT seq, seq FROM seq_0_to_9;
                INSERT INTO par.uniq SELECT seq, CONCAT('c', seq - 1), 0 FROM seq_1_to_20;
                """
            )
            let catalog = try temporaryDirectory("rs-par-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["par"], catalog: catalog)
            let start = try await source.position()
            let script = try temporaryDirectory("rs-par-sql") + "/workload.sql"
            try Self.workload().write(toFile: script, atomically: true, encoding: .utf8)
            try await shell("\(source.client) < \(script)")
            let expected = try await source.rows("par")
            let binlogs = source.binlogDirectory
            let files = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                .map { String($0.split(separator: "\t")[0]) }.drop { $0 != start.file }.map { binlogs + "/" + $0 }

            // The independent oracle: the backup, then mariadb-binlog | mariadb.
            try await SandboxInstance.withInstance(named: "rs-par-ref", options: ["--skip-log-bin"]) { reference in
                let load = try await rewind(["backup", "load", backup, "--defaults-file", reference.defaultsFile ?? ""])
                #expect(load.status == 0, "\(load.output)")
                try await shell(
                    "mariadb-binlog --start-position=\(start.offset) \(files.joined(separator: " ")) | \(reference.client)"
                )
                #expect(try await reference.rows("par") == expected, "the oracle itself differs from the source")
            }
            for threads in ["4", "1"] {
                try await SandboxInstance.withInstance(named: "rs-par-t\(threads)", options: ["--skip-log-bin"]) {
                    target in
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--defaults-file",
                            target.defaultsFile ?? "",
                            "--threads", threads,
                        ])
                    #expect(run.status == 0, "\(run.output)")
                    #expect(run.output.contains("ok  applied-transactions"), "\(run.output)")
                    if threads == "4" { #expect(run.output.contains("applying with 4 connections"), "\(run.output)") }
                    #expect(try await target.rows("par") == expected, "--threads \(threads) differs from the source")
                }
            }
        }
    }
}
