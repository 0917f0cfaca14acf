import Flashback
import Foundation
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// Acceptance 2: rows the bad UPDATE touched are updated again later. The undo (by `--apply`, and by the SQL
/// through the `mariadb` client) puts back the others, leaves the conflicting rows as they are now and, with
/// `--apply`, lists exactly them; `--atomic` skips the whole undo transaction; `--minimal` guards only the
/// columns the bad transaction changed.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"), .serialized)
struct FlashbackConflictTests {
    static func prepare(_ db: String, on connection: MySQLConnection) async throws -> TransactionID {
        _ = try await connection.query(
            """
            CREATE DATABASE \(db); CREATE TABLE \(db).acct (id INT PRIMARY KEY, balance INT, note VARCHAR(20));
            INSERT INTO \(db).acct VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c'), (4, 40, 'd'), (5, 50, 'e'), (6, 60, 'f')
            """)
        let bad = try await connection.transaction("UPDATE \(db).acct SET balance = balance * 2, note = 'bad'")
        _ = try await connection.transaction("UPDATE \(db).acct SET balance = 0 WHERE id IN (2, 5)")
        return bad
    }

    static func balances(_ db: String, on connection: MySQLConnection) async throws -> [String] {
        try await connection.rows("SELECT id, balance, note FROM \(db).acct ORDER BY id").map { row in
            row.map { $0.string ?? "NULL" }.joined(separator: ":")
        }
    }

    static let expected = ["1:10:a", "2:0:bad", "3:30:c", "4:40:d", "5:0:bad", "6:60:f"]

    @Test(.timeLimit(.minutes(10)))
    func changedRowsAreListedAndLeftAlone() async throws {
        try await withServer(named: "flashback-conflict") { server, connection in
            // --apply
            let bad = try await Self.prepare("c_apply", on: connection)
            let plan = try FlashbackPlanner(
                selection: FlashbackSelection(only: [bad]), schema: try await ServerSchema.load(from: connection)
            ).plan(paths: try await server.binlogPaths(connection))
            let report = try await FlashbackApplier(atomic: false).apply(
                plan, executor: ConnectionUndoExecutor(connection: connection))
            #expect(try await Self.balances("c_apply", on: connection) == Self.expected)
            #expect(report.rowsUndone == 4)
            #expect(report.conflicts.map(\.key) == ["`id`=5", "`id`=2"])
            let first = try #require(report.conflicts.first)
            #expect(first.table == "c_apply.acct")
            #expect(first.transaction.contains("GTID \(bad)"))
            #expect(
                first.current == [
                    ConflictValue(column: "id", value: "5"), ConflictValue(column: "balance", value: "0"),
                    ConflictValue(column: "note", value: "bad"),
                ])
            #expect(first.transactionApplied)

            // mariadb < undo.sql: the same rows, by the guards alone.
            let badSQL = try await Self.prepare("c_sql", on: connection)
            let planSQL = try FlashbackPlanner(selection: FlashbackSelection(only: [badSQL]))
                .plan(paths: try await server.binlogPaths(connection))
            try await server.runScript(try writeScript(planSQL))
            #expect(try await Self.balances("c_sql", on: connection) == Self.expected)

            // --atomic: the undo transaction with conflicts is skipped as a whole.
            let badAtomic = try await Self.prepare("c_atomic", on: connection)
            let before = try await Self.balances("c_atomic", on: connection)
            let planAtomic = try FlashbackPlanner(selection: FlashbackSelection(only: [badAtomic]))
                .plan(paths: try await server.binlogPaths(connection))
            let atomic = try await FlashbackApplier(atomic: true).apply(
                planAtomic, executor: ConnectionUndoExecutor(connection: connection))
            #expect(atomic.rolledBack == 1)
            #expect(atomic.committed == 0)
            #expect(atomic.conflicts.count == 2)
            #expect(atomic.conflicts.allSatisfy { !$0.transactionApplied })
            #expect(try await Self.balances("c_atomic", on: connection) == before)

            // --minimal: a later change to a column the bad UPDATE did not change is no conflict.
            _ = try await connection.query(
                """
                CREATE DATABASE c_min; CREATE TABLE c_min.acct (id INT PRIMARY KEY, balance INT, note VARCHAR(20));
                INSERT INTO c_min.acct VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')
                """)
            let badMinimal = try await connection.transaction("UPDATE c_min.acct SET balance = balance * 2")
            _ = try await connection.transaction("UPDATE c_min.acct SET note = 'later' WHERE id = 2")
            _ = try await connection.transaction("UPDATE c_min.acct SET balance = 0 WHERE id = 3")
            let minimalPlan = try FlashbackPlanner(selection: FlashbackSelection(only: [badMinimal]), minimal: true)
                .plan(paths: try await server.binlogPaths(connection))
            let minimalReport = try await FlashbackApplier(atomic: false).apply(
                minimalPlan, executor: ConnectionUndoExecutor(connection: connection))
            #expect(minimalReport.conflicts.map(\.key) == ["`id`=3"])
            #expect(try await Self.balances("c_min", on: connection) == ["1:10:a", "2:20:later", "3:0:c"])

        }
    }

    /// A row put back by the undo of a DELETE, or a value set back by the undo of an UPDATE, that another row
    /// holds now in a secondary UNIQUE key: a conflict, left alone, and the rest of the undo transaction applied
    /// by `--apply`. The script (`mariadb < undo.sql`) guards the re-inserted rows on every unique key, so it
    /// leaves them alone too; an UPDATE's undo in a script still stops at the duplicate (docs/flashback.md).
    @Test(.timeLimit(.minutes(10)))
    func aTakenUniqueValueIsAConflict() async throws {
        try await withServer(named: "flashback-unique") { server, connection in
            func items(_ db: String) async throws -> [String] {
                try await connection.rows("SELECT id, sku FROM \(db).items ORDER BY id").map { row in
                    row.map { $0.string ?? "NULL" }.joined(separator: ":")
                }
            }
            for (db, script) in [("u_apply", false), ("u_sql", true)] {
                _ = try await connection.query(
                    """
                    CREATE DATABASE \(db); CREATE TABLE \(db).items (id INT PRIMARY KEY, sku VARCHAR(8), UNIQUE (sku));
                    INSERT INTO \(db).items VALUES (1, 'A'), (2, 'B'), (3, 'C'), (4, 'D')
                    """)
                let badUpdate = try await connection.transaction("UPDATE \(db).items SET sku = 'X' WHERE id = 4")
                let badDelete = try await connection.transaction("DELETE FROM \(db).items WHERE id <= 3")
                _ = try await connection.transaction("INSERT INTO \(db).items VALUES (10, 'A'), (11, 'D')")
                let plan = try FlashbackPlanner(
                    selection: FlashbackSelection(only: script ? [badDelete] : [badUpdate, badDelete]),
                    schema: try await ServerSchema.load(from: connection)
                ).plan(paths: try await server.binlogPaths(connection))
                if script {
                    try await server.runScript(try writeScript(plan))
                } else {
                    let report = try await FlashbackApplier(atomic: false).apply(
                        plan, executor: ConnectionUndoExecutor(connection: connection))
                    #expect(report.conflicts.map(\.key).sorted() == ["`id`=1", "`id`=4"])
                    #expect(report.conflicts.allSatisfy { $0.reason != nil && $0.transactionApplied })
                    #expect(report.rowsUndone == 2)
                }
                #expect(try await items(db) == ["2:B", "3:C", "4:X", "10:A", "11:D"], "\(db)")
            }

        }
    }
}
