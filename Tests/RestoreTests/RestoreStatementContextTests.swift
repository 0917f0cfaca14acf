import Foundation
import RewindTestSupport
import Testing

/// Statement-format DML in the binlog (a session with `binlog_format=STATEMENT`) depends on the events before it:
/// INSERT_ID and LAST_INSERT_ID (INTVAR), the RAND seeds (RAND), user variables (USER_VAR). Restored with them, the
/// rows equal the source's; without them, the auto-increment ids, random values and variables would differ.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreStatementContextTests {
    @Test(.timeLimit(.minutes(5))) func intvarRandAndUserVariables() async throws {
        try await SandboxInstance.withInstance(named: "rs-ctx") { source in
            try await source.root(
                """
                CREATE DATABASE ctx;
                CREATE TABLE ctx.t (id INT AUTO_INCREMENT PRIMARY KEY, r DOUBLE, u VARCHAR(20) CHARACTER SET utf8mb4,
                  l VARCHAR(20) CHARACTER SET latin1, b VARBINARY(8), n BIGINT, d DECIMAL(10,3), f DOUBLE, li INT);
                INSERT INTO ctx.t (n) VALUES (1), (2);
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
                SET SESSION binlog_format = ROW;
                INSERT INTO ctx.t (n) VALUES (99);
                """
            )
            let events = try await source.root("SHOW BINLOG EVENTS")
            #expect(events.contains("Intvar") && events.contains("RAND") && events.contains("User var"), "\(events)")
            let expected = try await source.rows("ctx")
            for threads in ["4", "1"] {
                try await SandboxInstance.withInstance(named: "rs-ctx-t\(threads)", options: ["--skip-log-bin"]) { target in
                    let run = try await rewind(
                        ["restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                         target.defaultsFile ?? "", "--threads", threads])
                    #expect(run.status == 0, "\(run.output)")
                    let got = try await target.rows("ctx")
                    #expect(got == expected, "--threads \(threads): got\n\(got)\nexpected\n\(expected)")
                }
            }
        }
    }
}
