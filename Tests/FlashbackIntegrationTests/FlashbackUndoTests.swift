import Flashback
import Foundation
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// Acceptance 1: a bad DELETE, a bad UPDATE and a bad multi-row INSERT on tables over every column type, a
/// table without a primary key and a table with generated columns, undone in place (by the SQL through the
/// `mariadb` client, and by `--apply`): every table is back to its rows before, by an independent dump,
/// while later unrelated changes stay.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"), .serialized)
struct FlashbackUndoTests {
    static let tables = ["typed", "nokey", "gen", "other"]

    static func schema(_ db: String) -> String {
        """
        CREATE DATABASE \(db);
        CREATE TABLE \(db).typed (id INT PRIMARY KEY, j JSON, bl BLOB, vb VARBINARY(16), bn BINARY(4), b BIT(12),
          dc DECIMAL(20,6), f FLOAT, d DOUBLE, dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(3), y YEAR,
          e ENUM('red','green','blue'), s SET('a','b','c'), l1 VARCHAR(30) CHARACTER SET latin1,
          u8 VARCHAR(30) CHARACTER SET utf8mb4, tx TEXT, big BIGINT UNSIGNED);
        CREATE TABLE \(db).nokey (a INT, b VARCHAR(20) CHARACTER SET latin1, c DOUBLE);
        CREATE TABLE \(db).gen (id INT PRIMARY KEY, a INT, twice INT AS (a * 2) VIRTUAL, plus INT AS (a + 1) STORED,
          name VARCHAR(20));
        CREATE TABLE \(db).other (id INT PRIMARY KEY, v VARCHAR(20))
        """
    }

    static func seed(_ db: String) -> String {
        var rows: [String] = []
        for id in 1...8 {
            rows.append(
                """
                (\(id), '{"k": \(id), "list": [1.5, "it''s", null], "ü": true}', 0x00FF\(String(format: "%02X", id))00,
                 0x0102, 'b\(id)', b'101010101\(id % 2)01', \(id)23456.654321, 0.1, \(id).0e-7,
                 '2026-11-2\(id) 10:11:12.13141\(id)', '2026-11-2\(id) 09:00:00.00000\(id)', '-12:34:56.78\(id)', 2000,
                 'green', 'a,c', 'café \(id)', 'ünï 🙂 \(id)', 'line\\nbreak ''\(id)''', 1844674407370955161\(id % 6))
                """)
        }
        return """
            INSERT INTO \(db).typed VALUES \(rows.joined(separator: ", "));
            INSERT INTO \(db).nokey VALUES (1, 'dup', 0.5), (1, 'dup', 0.5), (2, 'été', 1e300), (3, NULL, NULL);
            INSERT INTO \(db).gen (id, a, name) VALUES (1, 10, 'one'), (2, 20, 'two'), (3, 30, 'three');
            INSERT INTO \(db).other VALUES (1, 'kept')
            """
    }

    /// The three bad transactions, then a later unrelated change.
    static func badTransactions(_ db: String, on connection: MySQLConnection) async throws -> [TransactionID] {
        let delete = try await connection.transaction(
            "DELETE FROM \(db).typed WHERE id IN (2, 5); DELETE FROM \(db).nokey WHERE a = 1 LIMIT 1; "
                + "DELETE FROM \(db).gen WHERE id = 3")
        let update = try await connection.transaction(
            """
            UPDATE \(db).typed SET j = '{"k": 0}', bl = NULL, vb = 0xFF, bn = 'zz', b = b'1', dc = -1, f = 2.5,
              d = -0.25, dt = '2000-01-01 00:00:00', ts = NULL, tm = '00:00:00', y = 1999, e = 'blue', s = '',
              l1 = 'x', u8 = 'y', tx = '', big = 0 WHERE id IN (1, 3, 8);
            UPDATE \(db).nokey SET b = 'changed' WHERE a = 2; UPDATE \(db).gen SET a = a + 5, name = 'upd'
            """)
        let insert = try await connection.transaction(
            """
            INSERT INTO \(db).typed (id, j, bl, u8, l1, b) VALUES (20, '[]', 0x00, 'new', 'né', b'0'),
              (21, NULL, NULL, NULL, NULL, NULL), (22, '{"a": {"b": [1]}}', REPEAT(0xEE, 3000), 'n', 'n', b'111');
            INSERT INTO \(db).nokey VALUES (1, 'dup', 0.5), (9, 'new', 9);
            INSERT INTO \(db).gen (id, a, name) VALUES (4, 40, 'four'), (5, 50, 'five')
            """)
        _ = try await connection.transaction(
            "INSERT INTO \(db).other VALUES (2, 'later'); UPDATE \(db).typed SET u8 = 'later' WHERE id = 4")
        return [delete, update, insert]
    }

    /// Sets up `db` and a copy `db_expected` holding what the undo must give: the seed plus the later change.
    static func prepare(_ db: String, on connection: MySQLConnection) async throws -> [TransactionID] {
        _ = try await connection.query(
            "SET time_zone = '+00:00'; " + Self.schema(db) + "; " + Self.seed(db) + "; "
                + Self.schema(db + "_expected") + "; " + Self.seed(db + "_expected") + "; "
                + "INSERT INTO \(db)_expected.other VALUES (2, 'later'); "
                + "UPDATE \(db)_expected.typed SET u8 = 'later' WHERE id = 4")
        return try await Self.badTransactions(db, on: connection)
    }

    @Test(.timeLimit(.minutes(10)))
    func undoBringsEveryTableBackAndKeepsLaterChanges() async throws {
        try await withServer(named: "flashback-undo") { server, connection in
            // Through the SQL and the mariadb client.
            let bad = try await Self.prepare("fb_sql", on: connection)
            let expected = try await server.dump("fb_sql_expected", tables: Self.tables)
            #expect(try await server.dump("fb_sql", tables: Self.tables) != expected)
            let schema = try await ServerSchema.load(from: connection)
            let plan = try FlashbackPlanner(selection: FlashbackSelection(only: bad), schema: schema)
                .plan(paths: try await server.binlogPaths(connection))
            #expect(plan.transactionCount == 3)
            #expect(plan.statementCount == 4 + 6 + 7)
            let script = try writeScript(plan)
            let text = try String(contentsOfFile: script, encoding: .utf8)
            #expect(text.contains("SET NAMES utf8mb4;"))
            #expect(text.contains("-- undo of GTID \(bad[2])"))
            #expect(text.range(of: "GTID \(bad[2])")!.lowerBound < text.range(of: "GTID \(bad[0])")!.lowerBound)
            #expect(text.contains("LIMIT 1"))
            #expect(!text.contains("`twice` ="))
            // The same transactions by FILE:POS (read from there) and as the range from the first to the end of
            // the last: the same script.
            var headers: [UndoTransactionHeader] = []
            var reader = try plan.makeReader()
            while let item = try reader.next() { if case .begin(let header) = item { headers.append(header) } }
            let paths = try await server.binlogPaths(connection)
            let positions = headers.map { TransactionID.position(file: $0.file, offset: $0.startPosition) }
            let byPosition = try FlashbackPlanner(selection: FlashbackSelection(only: positions), schema: schema)
                .plan(paths: paths)
            let first = try #require(headers.last)
            let last = try #require(headers.first)
            let byRange = try FlashbackPlanner(
                selection: FlashbackSelection(
                    since: .position(file: first.file, offset: first.startPosition),
                    until: .position(file: last.file, offset: last.endPosition)),
                schema: schema
            ).plan(paths: paths)
            #expect(try scriptText(byPosition) == text)
            #expect(try scriptText(byRange) == text)
            try await server.runScript(script)
            #expect(try await server.dump("fb_sql", tables: Self.tables) == expected)

            // Through --apply.
            let badApply = try await Self.prepare("fb_apply", on: connection)
            let expectedApply = try await server.dump("fb_apply_expected", tables: Self.tables)
            let planApply = try FlashbackPlanner(
                selection: FlashbackSelection(only: badApply), schema: try await ServerSchema.load(from: connection)
            ).plan(paths: try await server.binlogPaths(connection))
            let report = try await FlashbackApplier(atomic: false).apply(
                planApply, executor: ConnectionUndoExecutor(connection: connection))
            #expect(report.conflicts.isEmpty)
            #expect(report.committed == 3)
            #expect(report.rowsUndone == 17)
            #expect(try await server.dump("fb_apply", tables: Self.tables) == expectedApply)

        }
    }
}
