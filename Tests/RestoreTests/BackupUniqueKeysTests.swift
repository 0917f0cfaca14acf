import Foundation
import RewindTestSupport
import Testing

@testable import Restore

/// `--skip` finds a later transaction that takes a unique value (other than the primary key) a skipped change freed:
/// replayed without the skipped change, the row that still holds the value makes it fail half-way (audit, 2026-12-01:
/// only primary keys were compared). The binlog names primary keys only; the backup's `SHOW CREATE TABLE` the others.
@Suite struct BackupUniqueKeysTests {
    @Test func uniqueKeysAreReadAsShowCreateTableWritesThem() {
        let keys = BackupUniqueKeys.parse(
            """
            CREATE TABLE `users` (
              `id` int(11) NOT NULL,
              `email` varchar(40) NOT NULL,
              `odd``name` varchar(20) DEFAULT NULL,
              `bio` text DEFAULT NULL,
              PRIMARY KEY (`id`),
              UNIQUE KEY `email` (`email`),
              UNIQUE KEY `name_email` (`odd``name`,`email`(10) DESC),
              UNIQUE KEY `bio` (`bio`) USING HASH,
              UNIQUE KEY `lower_email` ((lower(`email`))),
              KEY `plain` (`email`),
              CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `other` (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
            """)
        #expect(
            keys == [
                .init(name: "email", columns: ["email"]), .init(name: "name_email", columns: ["odd`name", "email"]),
                .init(name: "bio", columns: ["bio"]),
            ], "the primary key, a plain key, a foreign key and a key on an expression are not unique keys of columns")
    }
}

@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct SkippedUniqueValueDependencyTests {
    @Test(.timeLimit(.minutes(10))) func laterRowsThatTakeAUniqueValueASkippedChangeFreedAreDependents() async throws {
        try await SandboxInstance.withInstance(named: "rs-skipuq") { source in
            try await source.root(
                """
                CREATE DATABASE shop; CREATE TABLE shop.users (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL,
                    name VARCHAR(20), UNIQUE KEY email (email), UNIQUE KEY name_email (name, email));
                INSERT INTO shop.users VALUES (1, 'a@x', 'ann'), (2, 'b@x', 'bob'), (3, 'c@x', NULL);
                """
            )
            let catalog = try temporaryDirectory("rs-skipuq-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["shop"], catalog: catalog)
            let bad = try await source.gtid("DELETE FROM shop.users WHERE id = 1")
            let rename = try await source.gtid("UPDATE shop.users SET email = 'b2@x' WHERE id = 2")
            let reuse = try await source.gtid("INSERT INTO shop.users VALUES (10, 'a@x', 'ann2')")
            let takesFreed = try await source.gtid("INSERT INTO shop.users VALUES (11, 'b@x', NULL)")
            let unrelated = try await source.gtid("UPDATE shop.users SET name = 'cat' WHERE id = 3")
            try await SandboxInstance.withInstance(named: "rs-skipuq-t", options: ["--skip-log-bin"]) { target in
                func restore(_ extra: [String]) async throws -> (status: Int32, output: String) {
                    try await target.root("DROP DATABASE IF EXISTS shop; DROP DATABASE IF EXISTS rewind_restore")
                    return try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                            target.defaultsFile ?? "",
                        ] + extra)
                }
                let run = try await restore(["--skip", bad, "--skip", rename, "--dry-run"])
                #expect(run.status == 2, "\(run.output)")
                #expect(
                    run.output.contains(
                        "  dependent  \(reuse) touches 1 row of shop.users that skipped \(bad) changed (by unique key "
                            + "`email`)"), "\(run.output)")
                #expect(
                    run.output.contains(
                        "  dependent  \(takesFreed) touches 1 row of shop.users that skipped \(rename) changed (by "
                            + "unique key `email`)"), "\(run.output)")
                #expect(!run.output.contains("dependent  \(unrelated)"), "\(run.output)")
                #expect(run.output.contains("2 later transactions depend on a skipped one"), "\(run.output)")
                // The oracle is the server: applied anyway, the freed value is still taken.
                let applied = try await restore(["--skip", bad, "--allow-dependent"])
                #expect(applied.status == 1, "\(applied.output)")
                #expect(applied.output.contains("Duplicate entry 'a@x' for key 'email'"), "\(applied.output)")
                #expect(applied.output.contains(reuse), "\(applied.output)")
                // Skipped with its dependent, the rest restores and proves.
                let whole = try await restore(["--skip", bad, "--skip", reuse])
                #expect(whole.status == 0, "\(whole.output)")
                let rows = try await target.root("SELECT id, email FROM shop.users ORDER BY id")
                #expect(
                    rows.split(separator: "\n").map { $0.split(separator: "\t").joined(separator: ":") } == [
                        "1:a@x", "2:b2@x", "3:c@x", "11:b@x",
                    ], "\(rows)")
            }
        }
    }
}
