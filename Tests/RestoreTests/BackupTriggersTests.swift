import Foundation
import RewindTestSupport
import Testing

@testable import Restore

/// A restore with `--database`, `--table` or `--into-database` does not load the backup's triggers. A change logged as
/// a statement (binlog_format STATEMENT or MIXED) of a table with triggers is then refused: replayed without them, the
/// rows they wrote on the source would be missing and the proof would not notice (audit finding, 2026-12-01).
@Suite struct BackupTriggersTests {
    @Test func triggersAreFoundByTheirTableAsShowCreateTriggerWritesThem() {
        var triggers = BackupTriggers()
        triggers.add(
            triggersFile: """
                DELIMITER ;;
                CREATE DEFINER=`root`@`localhost` TRIGGER items_au AFTER UPDATE ON items FOR EACH ROW
                  INSERT INTO audit (item_id, op) VALUES (OLD.id, 'U');;
                CREATE DEFINER=`root`@`localhost` TRIGGER `shop`.`odd``name` before insert on `shop`.`Orders`
                  FOR EACH ROW SET NEW.n = 1;;
                CREATE TRIGGER other_t BEFORE DELETE ON elsewhere.t FOR EACH ROW SET @x = 1;;
                DELIMITER ;
                """, database: "shop")
        #expect(triggers.triggers(database: "shop", table: "items") == ["items_au"])
        #expect(triggers.triggers(database: "SHOP", table: "orders") == ["odd`name"])
        #expect(triggers.triggers(database: "elsewhere", table: "t") == ["other_t"])
        #expect(triggers.triggers(database: "shop", table: "audit").isEmpty, "named in a body, not triggered")
        triggers.add(
            triggersFile: "CREATE TRIGGER IF NOT EXISTS late AFTER INSERT ON t2 FOR EACH ROW SET @x = 1",
            database: "shop")
        #expect(triggers.triggers(database: "shop", table: "t2") == ["late"])
    }

    @Test(arguments: [
        ("CREATE TRIGGER t AFTER UPDATE ON x FOR EACH ROW SET @a = 1", true),
        ("create definer=`root`@`localhost` trigger t before insert on x for each row set @a = 1", true),
        ("CREATE OR REPLACE DEFINER=`a`@`%` TRIGGER t AFTER DELETE ON x FOR EACH ROW SET @a = 1", true),
        ("CREATE TABLE trigger_log (id INT)", false), ("DROP TRIGGER t", false),
        ("INSERT INTO t VALUES ('CREATE TRIGGER')", false),
    ])
    func triggerCreationIsTold(query: String, creates: Bool) {
        #expect(BackupTriggers.createsTrigger(Array(query.utf8)) == creates)
    }

    @Test(arguments: [
        ("UPDATE items SET qty = 1", true), ("  insert into t values (1)", true), ("REPLACE INTO t VALUES (1)", true),
        ("DELETE FROM t", true), ("LOAD DATA INFILE 'x' INTO TABLE t", true), ("(UPDATE t SET a = 1)", true),
        ("ALTER TABLE t ADD c INT", false), ("CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW SET @a = 1", false),
        ("updated", false),
    ])
    func dataChangesAreTold(query: String, isDML: Bool) {
        #expect(BackupTriggers.isDML(Array(query.utf8)) == isDML)
    }
}

@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct BackupTriggersRestoreTests {
    @Test(.timeLimit(.minutes(10))) func aStatementOnATableWithBackupTriggersIsRefused() async throws {
        try await SandboxInstance.withInstance(named: "rs-trig") { source in
            try await source.root(
                """
                CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, qty INT);
                CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, item INT);
                CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT); INSERT INTO shop.orders VALUES (1, 1);
                CREATE TRIGGER shop.items_au AFTER UPDATE ON shop.items FOR EACH ROW
                  INSERT INTO shop.audit (item) VALUES (OLD.id);
                INSERT INTO shop.items VALUES (3, 0);
                """
            )
            let catalog = try temporaryDirectory("rs-trig-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["shop"], catalog: catalog)
            // A trigger created after the backup, on another table, and a statement on each table.
            try await source.root(
                """
                CREATE TRIGGER shop.orders_au AFTER UPDATE ON shop.orders FOR EACH ROW
                  INSERT INTO shop.audit (item) VALUES (100 + OLD.id);
                SET SESSION binlog_format = STATEMENT;
                UPDATE shop.items SET qty = qty + 1 WHERE id = 3; UPDATE shop.orders SET qty = 2 WHERE id = 1;
                """)
            try await SandboxInstance.withInstance(named: "rs-trig-t", options: ["--skip-log-bin"]) { target in
                let base = [
                    "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                    target.defaultsFile ?? "",
                ]
                // --database: the triggers are not loaded, so the statement is refused before anything is loaded.
                let refused = try await rewind(base + ["--database", "shop"])
                #expect(refused.status == 2, "\(refused.output)")
                #expect(refused.output.contains("changes shop.items by a statement"), "\(refused.output)")
                #expect(refused.output.contains("(items_au) are not loaded"), "\(refused.output)")
                #expect(try await target.root("SHOW DATABASES LIKE 'shop'").isEmpty)
                // --table shop.orders: its trigger, created after the backup, is not replayed either.
                let table = try await rewind(base + ["--table", "shop.orders"])
                #expect(table.status == 2, "\(table.output)")
                #expect(table.output.contains("changes shop.orders by a statement"), "\(table.output)")
                #expect(table.output.contains("(orders_au) are not loaded"), "\(table.output)")
                // Unfiltered: the triggers are loaded and fire on the replayed statement, as on the source.
                let whole = try await rewind(base)
                #expect(whole.status == 0, "\(whole.output)")
                #expect(try await target.rows("shop") == (try await source.rows("shop")))
            }
        }
    }
}

/// `--skip` of a transaction that changed a table by a statement (DDL such as TRUNCATE, or statement-format DML): its
/// rows are not known, so every later change of that table depends on it and is refused without
/// `--allow-dependent`, before anything is loaded (the audit's skipped TRUNCATE passed the plan, then failed half-way
/// with a duplicate key). `--dry-run` prints the plan, with each dependent, before the refusal.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct SkippedStatementDependencyTests {
    @Test(.timeLimit(.minutes(10))) func laterChangesOfATableASkippedStatementChangedAreDependents() async throws {
        try await SandboxInstance.withInstance(named: "rs-skipddl") { source in
            try await source.root(
                """
                CREATE DATABASE shop; CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
                CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT);
                INSERT INTO shop.audit (v) VALUES (1), (2), (3); INSERT INTO shop.orders VALUES (1, 1);
                """
            )
            let catalog = try temporaryDirectory("rs-skipddl-cat")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await takeBackup(source, databases: ["shop"], catalog: catalog)
            let truncate = try await source.gtid("TRUNCATE TABLE shop.audit")
            let summary = try await source.gtid("CREATE TABLE shop.summary AS SELECT id, qty FROM shop.orders")
            let reuse = try await source.gtid("INSERT INTO shop.audit (v) VALUES (9)")
            let unrelated = try await source.gtid("UPDATE shop.orders SET qty = 2")
            let rename = try await source.gtid("RENAME TABLE shop.summary TO shop.summary_2026")
            try await SandboxInstance.withInstance(named: "rs-skipddl-t", options: ["--skip-log-bin"]) { target in
                let run = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                        target.defaultsFile ?? "", "--skip", truncate, "--skip", summary, "--dry-run",
                    ])
                #expect(run.status == 2, "\(run.output)")
                #expect(
                    run.output.contains("  dependent  \(reuse) changes shop.audit, which skipped \(truncate) changed"),
                    "\(run.output)")
                #expect(run.output.contains("  dependent  \(rename) changes shop.summary, which skipped \(summary)"))
                #expect(!run.output.contains("dependent  \(unrelated)"), "the SELECT's source is only read")
                #expect(run.output.contains("2 later transactions depend on a skipped one"), "\(run.output)")
                #expect(try await target.root("SHOW DATABASES LIKE 'shop'").isEmpty)
                // Applied anyway: the reused id fails, and the error names the transaction it belongs to, on one
                // connection and on several.
                for threads in ["1", "4"] {
                    try await target.root("DROP DATABASE IF EXISTS shop; DROP DATABASE IF EXISTS rewind_restore")
                    let applied = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", source.binlogDirectory, "--defaults-file",
                            target.defaultsFile ?? "", "--skip", truncate, "--skip", summary, "--allow-dependent",
                            "--threads", threads,
                        ])
                    #expect(applied.status == 1, "\(applied.output)")
                    #expect(applied.output.contains("Duplicate entry"), "\(applied.output)")
                    // (One connection sends several transactions in a batch, and names the batch's first and last.)
                    #expect(applied.output.contains("transaction\(threads == "1" ? "s" : "") \(reuse) at mysql-bin.0"))
                }
            }
        }
    }
}
