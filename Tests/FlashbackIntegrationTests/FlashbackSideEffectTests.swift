import Flashback
import Foundation
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// What an undo must not do besides putting rows back (audit findings of 2026-12-01), each against a real server:
/// fire a trigger again (the bad transaction's row events fired none when replayed; the undo's SQL would), delete
/// rows of another table through ON DELETE CASCADE (a row written since would go, with no conflict to show it), and
/// overwrite a later change that only a column's collation calls equal (`'alice'` to `'Alice '`).
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"), .serialized)
struct FlashbackSideEffectTests {
    static func plan(
        _ bad: TransactionID, server: SandboxServer, connection: MySQLConnection, fireTriggers: Bool = false
    ) async throws -> FlashbackPlan {
        try FlashbackPlanner(
            selection: FlashbackSelection(only: [bad]), schema: try await ServerSchema.load(from: connection),
            fireTriggers: fireTriggers
        ).plan(paths: try await server.binlogPaths(connection))
    }

    /// The message of the refusal to plan the undo of `bad` ("" and an issue recorded when it is not refused).
    static func refusal(_ bad: TransactionID, server: SandboxServer, connection: MySQLConnection) async -> String {
        let error = await #expect(throws: FlashbackError.self) {
            _ = try await Self.plan(bad, server: server, connection: connection)
        }
        #expect(error?.code == .refused, "\(String(describing: error))")
        return error?.description ?? ""
    }

    @Test(.timeLimit(.minutes(10)))
    func triggersTheUndoWouldFireAreRefusedUnlessAskedFor() async throws {
        try await withServer(named: "flashback-trigger") { server, connection in
            _ = try await connection.query(
                """
                CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, price INT);
                CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, item INT, op CHAR(1));
                CREATE TRIGGER shop.items_au AFTER UPDATE ON shop.items FOR EACH ROW
                    INSERT INTO shop.audit (item, op) VALUES (OLD.id, 'U');
                CREATE TABLE shop.notes (id INT PRIMARY KEY, body VARCHAR(20));
                CREATE TRIGGER shop.notes_ad AFTER DELETE ON shop.notes FOR EACH ROW
                    INSERT INTO shop.audit (item, op) VALUES (OLD.id, 'D');
                INSERT INTO shop.items VALUES (3, 350), (4, 450); INSERT INTO shop.notes VALUES (1, 'one')
                """)
            let bad = try await connection.transaction("UPDATE shop.items SET price = price * 100")
            let text = await Self.refusal(bad, server: server, connection: connection)
            #expect(text.contains("shop.items has triggers the undo's statements fire: items_au (AFTER UPDATE)"))
            #expect(text.contains("--fire-triggers"))
            #expect(!text.contains("shop.audit"), "the audit table is not undone: \(text)")

            // Asked for: the undo runs, and the trigger with it (what the refusal warned of).
            let plan = try await Self.plan(bad, server: server, connection: connection, fireTriggers: true)
            let report = try await FlashbackApplier(atomic: false).apply(
                plan, executor: ConnectionUndoExecutor(connection: connection))
            // The trigger's rows are in the bad transaction as row events of their own: the undo deletes those
            // two and puts back the two prices, and its UPDATEs fire the trigger, which writes two new ones.
            #expect(report.rowsUndone == 4)
            let prices = try await connection.rows("SELECT price FROM shop.items ORDER BY id").map { $0[0].string }
            #expect(prices == ["350", "450"])
            let audit = try await connection.rows("SELECT id, item FROM shop.audit ORDER BY id").map {
                "\($0[0].string ?? ""):\($0[1].string ?? "")"
            }
            // (The undo runs newest row first: item 4's row is id 3.)
            #expect(audit == ["3:4", "4:3"], "the bad UPDATE's rows 1 and 2 gone, the undo's own in their place")

            // A trigger on another statement than the undo's is no reason to refuse: the undo of an UPDATE
            // of shop.notes (an UPDATE) does not fire its AFTER DELETE trigger.
            let edit = try await connection.transaction("UPDATE shop.notes SET body = 'bad'")
            let notes = try await Self.plan(edit, server: server, connection: connection)
            #expect(notes.statementCount == 1)
            // The undo of an INSERT into it is a DELETE, which would.
            let insert = try await connection.transaction("INSERT INTO shop.notes VALUES (2, 'two')")
            let delete = await Self.refusal(insert, server: server, connection: connection)
            #expect(delete.contains("notes_ad (AFTER DELETE)"))

        }
    }

    @Test(.timeLimit(.minutes(10)))
    func deletesThatCascadeIntoOtherTablesAreRefused() async throws {
        try await withServer(named: "flashback-cascade") { server, connection in
            _ = try await connection.query(
                """
                CREATE DATABASE fk; CREATE TABLE fk.parent (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB;
                CREATE TABLE fk.child (id INT PRIMARY KEY, pid INT,
                    FOREIGN KEY (pid) REFERENCES fk.parent (id) ON DELETE CASCADE) ENGINE=InnoDB;
                INSERT INTO fk.parent VALUES (1, 'one')
                """)
            // The bad INSERT, then a good row that references it: undoing the INSERT would delete that row too.
            let insert = try await connection.transaction("INSERT INTO fk.parent VALUES (7, 'seven')")
            _ = try await connection.transaction("INSERT INTO fk.child VALUES (70, 7)")
            let text = await Self.refusal(insert, server: server, connection: connection)
            #expect(text.contains("fk.parent is referenced by foreign keys that act on delete: fk.child ("))
            #expect(text.contains("ON DELETE CASCADE"), "\(text)")
            #expect(text.contains("also rows written since"), "\(text)")
            #expect(text.contains("rewind restore --skip"), "\(text)")
            let children = try await connection.rows("SELECT COUNT(*) FROM fk.child")
            #expect(children.first?[0].string == "1", "nothing was run")

            // A DELETE that cascaded: its undo cannot bring the child rows back.
            _ = try await connection.query("INSERT INTO fk.child VALUES (10, 1)")
            let delete = try await connection.transaction("DELETE FROM fk.parent WHERE id = 1")
            let cascaded = await Self.refusal(delete, server: server, connection: connection)
            #expect(cascaded.contains("the binlog does not hold those changes"))

            // An UPDATE of a column no key refers to deletes nothing: planned.
            let rename = try await connection.transaction("UPDATE fk.parent SET name = 'bad'")
            #expect(try await Self.plan(rename, server: server, connection: connection).statementCount == 1)

        }
    }

    @Test(.timeLimit(.minutes(10)))
    func updatesOfKeysThatCascadeIntoOtherTablesAreRefused() async throws {
        try await withServer(named: "flashback-update-cascade") { server, connection in
            _ = try await connection.query(
                """
                CREATE DATABASE fu;
                CREATE TABLE fu.parent (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, name VARCHAR(10))
                    ENGINE=InnoDB;
                CREATE TABLE fu.child (id INT PRIMARY KEY, code VARCHAR(10),
                    CONSTRAINT child_code FOREIGN KEY (code) REFERENCES fu.parent (code) ON UPDATE CASCADE)
                    ENGINE=InnoDB;
                CREATE TABLE fu.other (id INT PRIMARY KEY, pid INT,
                    CONSTRAINT other_pid FOREIGN KEY (pid) REFERENCES fu.parent (id) ON UPDATE SET NULL)
                    ENGINE=InnoDB;
                INSERT INTO fu.parent VALUES (1, 'a', 'one'), (2, 'b', 'two');
                INSERT INTO fu.child VALUES (10, 'a'); INSERT INTO fu.other VALUES (20, 2)
                """)
            func rows(_ table: String) async throws -> [String] {
                try await connection.rows("SELECT * FROM fu.\(table) ORDER BY id").map {
                    $0.map { $0.string ?? "NULL" }.joined(separator: ":")
                }
            }
            // The bad UPDATE changes a referenced code (child 10 follows it), then a good row references the new
            // code: undoing the UPDATE would take that row along to 'a'.
            let bad = try await connection.transaction("UPDATE fu.parent SET code = 'z' WHERE id = 1")
            _ = try await connection.transaction("INSERT INTO fu.child VALUES (11, 'z')")
            let text = await Self.refusal(bad, server: server, connection: connection)
            #expect(
                text.contains(
                    "fu.parent is referenced by foreign keys that act on update: fu.child (child_code, ON UPDATE "
                        + "CASCADE, on `code`), and the UPDATE being undone changed those columns"), "\(text)")
            #expect(!text.contains("fu.other"), "the UPDATE left `id` alone: \(text)")
            #expect(text.contains("also rows written since"), "\(text)")
            #expect(text.contains("rewind restore --skip"), "\(text)")
            #expect(try await rows("child") == ["10:z", "11:z"], "nothing was run")

            // A key another foreign key references with SET NULL: refused, naming that one only.
            let renumber = try await connection.transaction("UPDATE fu.parent SET id = 7 WHERE id = 2")
            let setNull = await Self.refusal(renumber, server: server, connection: connection)
            #expect(setNull.contains("fu.other (other_pid, ON UPDATE SET NULL, on `id`)"))
            #expect(!setNull.contains("fu.child"))
            #expect(try await rows("other") == ["20:NULL"])

            // An UPDATE of a column no foreign key references cascades nothing: undone, the children untouched.
            let rename = try await connection.transaction("UPDATE fu.parent SET name = 'bad'")
            let plan = try await Self.plan(rename, server: server, connection: connection)
            let report = try await FlashbackApplier(atomic: false).apply(
                plan, executor: ConnectionUndoExecutor(connection: connection))
            #expect(report.rowsUndone == 2)
            #expect(report.conflicts.isEmpty)
            #expect(try await rows("parent") == ["1:z:one", "7:b:two"])
            #expect(try await rows("child") == ["10:z", "11:z"])
            #expect(try await rows("other") == ["20:NULL"])

        }
    }

    @Test(.timeLimit(.minutes(10)))
    func aLaterChangeOfCaseOrTrailingSpacesIsAConflict() async throws {
        try await withServer(named: "flashback-collation") { server, connection in
            _ = try await connection.query(
                """
                CREATE DATABASE ft; CREATE TABLE ft.people (id INT PRIMARY KEY,
                    email VARCHAR(50) COLLATE utf8mb4_general_ci, score INT,
                    city VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci);
                INSERT INTO ft.people VALUES (1, 'alice@x.com', 10, 'Malmö'), (2, 'bob@x.com', 20, 'Oslo'),
                    (3, 'carol@x.com', 30, 'Bergen')
                """)
            let bad = try await connection.transaction(
                "UPDATE ft.people SET email = UPPER(email), score = 0, city = UPPER(city)")
            // Later, legitimate fixes the collations call equal to what the bad UPDATE left.
            _ = try await connection.transaction("UPDATE ft.people SET email = 'Alice@X.com ' WHERE id = 1")
            _ = try await connection.transaction("UPDATE ft.people SET city = 'Oslo' WHERE id = 2")
            let expected = [
                "1:Alice@X.com :0:MALMÖ", "2:BOB@X.COM:0:Oslo", "3:carol@x.com:30:Bergen",
            ]
            func rows() async throws -> [String] {
                try await connection.rows("SELECT id, email, score, city FROM ft.people ORDER BY id").map {
                    $0.map { $0.string ?? "NULL" }.joined(separator: ":")
                }
            }
            // The script, through the mariadb client: the guards leave rows 1 and 2 as they are now.
            let script = try await Self.plan(bad, server: server, connection: connection)
            try await server.runScript(try writeScript(script))
            #expect(try await rows() == expected)

            // --apply lists them as conflicts. (Row 3 is back already; its undo finds it changed: a conflict
            // too, by the same guard.)
            _ = try await connection.query("UPDATE ft.people SET email = 'CAROL@X.COM', score = 0 WHERE id = 3")
            let plan = try await Self.plan(bad, server: server, connection: connection)
            let report = try await FlashbackApplier(atomic: false).apply(
                plan, executor: ConnectionUndoExecutor(connection: connection))
            #expect(report.conflicts.map(\.key).sorted() == ["`id`=1", "`id`=2", "`id`=3"])
            #expect(report.rowsUndone == 0)

        }
    }
}
