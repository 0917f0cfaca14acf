import Foundation
import RewindTestSupport
import Testing

/// Statement-format DML in the binlog (a session with `binlog_format=STATEMENT`) depends on the events before it:
/// INSERT_ID and LAST_INSERT_ID (INTVAR), the RAND seeds (RAND), user variables (USER_VAR). Restored with them, the
/// rows equal the source's; without them, the auto-increment ids, random values and variables would differ. A
/// statement run under a database the backup does not hold (`USE other; UPDATE ctx.t …`) is run in the one it
/// changes (the target has no `other`: the restore failed with ERROR 1049).
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreStatementContextTests {
    @Test(.timeLimit(.minutes(10))) func intvarRandAndUserVariables() async throws {
        try await SandboxInstance.withInstance(named: "rs-ctx") { source in
            try await source.root(
                """
                CREATE DATABASE ctx;
                CREATE TABLE ctx.t (id INT AUTO_INCREMENT PRIMARY KEY, r DOUBLE, u VARCHAR(20) CHARACTER SET utf8mb4,
                  l VARCHAR(20) CHARACTER SET latin1, b VARBINARY(8), n BIGINT, d DECIMAL(10,3), f DOUBLE, li INT);
                INSERT INTO ctx.t (n) VALUES (1), (2);
                CREATE DATABASE other;
                """
            )
            let catalog = try temporaryDirectory("rs-ctx-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["ctx"], catalog: catalog)
            try await source.root(
                """
                SET SESSION binlog_format = STATEMENT;
                INSERT INTO ctx.t (r) VALUES (RAND());
                SET @u = 'café 東京', @l = CONVERT('Zürich' USING latin1), @b = UNHEX('00FF10'), @n = -42,
                  @d = CAST(3.25 AS DECIMAL(10,3)), @f = 1.5e10, @nothing = NULL;
                INSERT INTO ctx.t (u, l, b, n, d, f) VALUES (@u, @l, @b, @n, @d, @f);
                INSERT INTO ctx.t (li, u) VALUES (LAST_INSERT_ID(), @nothing);
                BEGIN; INSERT INTO ctx.t (r) VALUES (RAND()); INSERT INTO ctx.t (u) VALUES (@u); COMMIT;
                USE other; UPDATE ctx.t SET n = n + 100 WHERE id = 1;
                SET SESSION binlog_format = ROW;
                INSERT INTO ctx.t (n) VALUES (99);
                """
            )
            let events = try await source.root("SHOW BINLOG EVENTS")
            #expect(events.contains("Intvar") && events.contains("RAND") && events.contains("User var"), "\(events)")
            let expected = try await source.rows("ctx")
            for threads in ["4", "1"] {
                try await SandboxInstance.withInstance(named: "rs-ctx-t\(threads)", options: ["--skip-log-bin"]) {
                    target in
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                            target.defaultsFile ?? "", "--threads", threads,
                        ])
                    #expect(run.status == 0, "\(run.output)")
                    let got = try await target.rows("ctx")
                    #expect(got == expected, "--threads \(threads): got\n\(got)\nexpected\n\(expected)")
                }
            }
        }
    }
}

/// Views, routines, triggers and events created after the backup with qualified names and no current database (as
/// a client without `USE` creates them) are restored with their database.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreSchemaObjectTests {
    @Test(.timeLimit(.minutes(10))) func objectsNamedWithTheirDatabase() async throws {
        try await SandboxInstance.withInstance(named: "rs-obj") { source in
            try await source.root("CREATE DATABASE obj; CREATE TABLE obj.t (id INT PRIMARY KEY, n INT)")
            let catalog = try temporaryDirectory("rs-obj-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["obj"], catalog: catalog)
            try await source.root(
                """
                CREATE VIEW obj.v AS SELECT id FROM obj.t;
                CREATE PROCEDURE obj.p() SELECT 1;
                CREATE FUNCTION obj.f() RETURNS INT DETERMINISTIC RETURN 7;
                CREATE TRIGGER obj.tr BEFORE INSERT ON obj.t FOR EACH ROW SET NEW.n = 5;
                CREATE VIEW obj.gone AS SELECT 1;
                DROP VIEW obj.gone;
                INSERT INTO obj.t (id) VALUES (1);
                CREATE USER 'rs_auditor'@'localhost' IDENTIFIED BY 'S3cret-pw';
                GRANT SELECT ON obj.* TO 'rs_auditor'@'localhost';
                """
            )
            let objects = """
                SELECT CONCAT(TABLE_TYPE, ' ', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'obj'
                UNION ALL SELECT CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'obj'
                UNION ALL SELECT CONCAT('TRIGGER ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'obj'
                ORDER BY 1
                """
            let expected = try await source.root(objects)
            #expect(
                expected.contains("VIEW v") && expected.contains("TRIGGER tr") && !expected.contains("gone"),
                "\(expected)")
            try await SandboxInstance.withInstance(named: "rs-obj-t", options: ["--skip-log-bin"]) { target in
                let run = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                        target.defaultsFile ?? "",
                    ])
                #expect(run.status == 0, "\(run.output)")
                // The account statements are not replayed (no restored database owns them), and the plan says so
                // without printing the password.
                #expect(run.output.contains("not replayed  2 statements"), "\(run.output)")
                #expect(run.output.contains("GRANT SELECT ON obj.* TO 'rs_auditor'@'localhost'"), "\(run.output)")
                #expect(
                    run.output.contains("CREATE USER 'rs_auditor'@'localhost' … (the rest is not shown"),
                    "\(run.output)")
                #expect(!run.output.contains("S3cret-pw"))
                #expect(
                    try await target.root("SELECT COUNT(*) FROM mysql.user WHERE User = 'rs_auditor'")
                        .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
                #expect(try await target.root(objects) == expected)
                #expect(try await target.rows("obj") == (try await source.rows("obj")))
            }
        }
    }
}
