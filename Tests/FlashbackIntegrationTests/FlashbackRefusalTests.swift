import Flashback
import Foundation
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// Acceptance 3: DDL on an affected table in the range, a MINIMAL row image, and a table dropped since are
/// refused with a message that says what to do instead; nothing is planned.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"), .serialized)
struct FlashbackRefusalTests {
    @Test(.timeLimit(.minutes(10)))
    func unsafeUndoIsRefused() async throws {
        try await withServer(named: "flashback-refuse") { server, connection in
            _ = try await connection.query(
                """
                CREATE DATABASE r; CREATE TABLE r.t (id INT PRIMARY KEY, v INT);
                CREATE TABLE r.gone (id INT PRIMARY KEY, v INT);
                INSERT INTO r.t VALUES (1, 1), (2, 2); INSERT INTO r.gone VALUES (1, 1)
                """)
            // DDL in the selected range, on a table whose rows the range changes.
            let start = try #require(try await connection.rows("SHOW MASTER STATUS").first)
            let since = BinlogBound.position(
                file: try #require(start[0].string), offset: try #require(start[1].uint64))
            _ = try await connection.transaction("UPDATE r.t SET v = 10 WHERE id = 1")
            _ = try await connection.query("ALTER TABLE r.t ADD COLUMN w INT")
            _ = try await connection.transaction("UPDATE r.t SET v = 20 WHERE id = 2")
            let paths = try await server.binlogPaths(connection)
            let ddl = #expect(throws: FlashbackError.self) {
                try FlashbackPlanner(selection: FlashbackSelection(since: since)).plan(paths: paths)
            }
            #expect(ddl?.code == .refused)
            #expect(ddl?.description.contains("DDL (ALTER) on r.t") == true)
            #expect(ddl?.description.contains("rewind restore --before") == true)
            #expect(ddl?.position != nil)

            // A MINIMAL row image.
            _ = try await connection.query("SET SESSION binlog_row_image = 'MINIMAL'")
            let minimal = try await connection.transaction("UPDATE r.t SET v = 30 WHERE id = 2")
            _ = try await connection.query("SET SESSION binlog_row_image = 'FULL'")
            let minimalPaths = try await server.binlogPaths(connection)
            let image = #expect(throws: FlashbackError.self) {
                try FlashbackPlanner(selection: FlashbackSelection(only: [minimal])).plan(paths: minimalPaths)
            }
            #expect(image?.code == .refused)
            #expect(image?.description.contains("binlog_row_image=MINIMAL") == true)

            // A table dropped since: seen in the binlog, and (with the server) missing there.
            let before = try #require(try await connection.rows("SHOW MASTER STATUS").first)
            let bad = try await connection.transaction("DELETE FROM r.gone WHERE id = 1")
            let after = try #require(try await connection.rows("SHOW MASTER STATUS").first)
            _ = try await connection.query("DROP TABLE r.gone")
            let droppedPaths = try await server.binlogPaths(connection)
            // By GTID (found by a scan of the headers), by FILE:POS (read from there), and as a range that ends
            // before the DROP: the DDL after the selection is found all the same.
            let file = try #require(before[0].string)
            let badStart = try #require(before[1].uint64)
            let badEnd = try #require(after[1].uint64)
            let selections = [
                FlashbackSelection(only: [bad]),
                FlashbackSelection(only: [.position(file: file, offset: badStart)]),
                FlashbackSelection(
                    since: .position(file: file, offset: badStart), until: .position(file: file, offset: badEnd)),
            ]
            for selection in selections {
                let dropped = #expect(throws: FlashbackError.self) {
                    try FlashbackPlanner(selection: selection).plan(paths: droppedPaths)
                }
                #expect(dropped?.description.contains("r.gone was dropped after the selected transactions") == true)
                // With the check running while the undo renders, nothing is written or run before it refuses.
                let plan = try FlashbackPlanner(selection: selection)
                    .plan(paths: droppedPaths, overlappingChecks: true)
                var written = 0
                let late = #expect(throws: FlashbackError.self) {
                    try UndoScriptWriter().write(plan, minimal: false) { written += $0.count }
                }
                #expect(late?.description.contains("r.gone was dropped after the selected transactions") == true)
                #expect(written == 0)
                #expect(throws: FlashbackError.self) { try plan.makeReader() }
            }
            // A position where no transaction starts names nothing.
            let nowhere = #expect(throws: FlashbackError.self) {
                let inside = TransactionID.position(file: file, offset: badStart + 1)
                return try FlashbackPlanner(selection: FlashbackSelection(only: [inside])).plan(paths: droppedPaths)
            }
            #expect(nowhere?.code == .selection)
            let schema = try await ServerSchema.load(from: connection)
            #expect(schema.hint(database: "r", table: "gone") == nil)
            #expect(schema.hint(database: "r", table: "t")?.primaryKey == ["id"])

        }
    }
}
