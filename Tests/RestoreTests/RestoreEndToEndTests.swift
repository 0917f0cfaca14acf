import Foundation
import RewindTestSupport
import Testing

/// Acceptance 1 (a, b, d, f) and the dependent refusal: a shop with varied column types, a backup, changes across
/// three binlog files with an ALTER TABLE and a CREATE TABLE, a bad DELETE, and later independent changes.
/// Oracles: the source's own rows just before the DELETE, and `mariadb-binlog | mariadb` replaying around it.
@Suite(.serialized, .enabled(if: restoreSuitesEnabled)) struct RestoreEndToEndTests {
    @Test(.timeLimit(.minutes(10)), arguments: TestBackupStore.available)
    func beforeSkipAndBesideTheLiveDatabase(store kind: TestBackupStore) async throws {
        try await SandboxInstance.withInstance(named: "rs-src") { source in
            try await kind.withCatalog("rs-cat") { catalog, location in
                try await source.root(
                    """
                    CREATE DATABASE shop;
                    USE shop;
                    CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40) CHARACTER SET utf8mb4,
                      amount DECIMAL(12,2), flags BIT(5), doc JSON, note TEXT, at DATETIME(6), raw BLOB,
                      total DECIMAL(14,2) AS (amount * 2) STORED);
                    CREATE TABLE shop.stock (sku INT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(20) CHARACTER SET latin1);
                    CREATE TABLE shop.nokey (a INT, b VARCHAR(10));
                    INSERT INTO shop.orders (id, customer, amount, flags, doc, note, at, raw)
                      SELECT seq, CONCAT('cust-é', seq % 17), seq * 1.25, seq % 32, JSON_OBJECT('n', seq),
                      REPEAT('x', seq % 50), '2026-11-30 10:00:00.123456', UNHEX(MD5(seq)) FROM seq_1_to_300;
                    INSERT INTO shop.stock SELECT seq, seq * 10, CONCAT('lbl', seq) FROM seq_1_to_50;
                    INSERT INTO shop.nokey VALUES (1, 'a'), (2, 'b'), (2, 'b');
                    """
                )
                let backup = try await takeBackup(source, databases: ["shop"], catalog: catalog, location: location)
                let backupPosition = try await source.position()  // nothing written since the backup

                try await source.root(
                    """
                    INSERT INTO shop.orders (id, customer, amount, flags, doc, note, at) VALUES (301, 'new', 9.99, 1, '[]', 'n', NOW(6));
                    UPDATE shop.stock SET qty = qty - 1 WHERE sku <= 10;
                    FLUSH BINARY LOGS;
                    ALTER TABLE shop.stock ADD COLUMN place VARCHAR(10) DEFAULT 'A';
                    CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50));
                    CREATE DATABASE shop_archive;
                    CREATE TABLE shop_archive.old (id INT PRIMARY KEY);
                    INSERT INTO shop_archive.old VALUES (1), (2);
                    INSERT INTO shop.audit (what) VALUES ('one'), ('two');
                    UPDATE shop.nokey SET b = 'c' WHERE a = 1;
                    """
                )
                try await source.root("UPDATE shop.orders SET note = 'changed' WHERE id BETWEEN 10 AND 20")
                let noteUpdate = try await source.lastGTID()
                try await source.root("FLUSH BINARY LOGS")
                let beforeBad = try await source.rows("shop")
                let deleteStart = try await source.position()
                try await source.root("DELETE FROM shop.orders WHERE id % 3 = 0")
                let bad = try await source.lastGTID()
                let deleteEnd = try await source.position()
                try await source.root(
                    """
                    INSERT INTO shop.orders (id, customer, amount, flags, doc, note, at) VALUES (400, 'later', 1.00, 0, '{}', 'l', NOW(6));
                    UPDATE shop.stock SET qty = qty + 5 WHERE sku > 40;
                    BEGIN; INSERT INTO shop.audit (what) VALUES ('after'); UPDATE shop.orders SET amount = 0 WHERE id = 1; COMMIT;
                    """
                )
                let binlogs = source.binlogDirectory
                let files = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                    .map { String($0.split(separator: "\t")[0]) }
                let chain = files.drop { $0 != backupPosition.file }.map { binlogs + "/" + $0 }
                #expect(chain.count == 3, "\(files)")

                // (a) --before the DELETE, into a server without a binlog: the rows the source had just before it.
                try await SandboxInstance.withInstance(named: "rs-t1", options: ["--skip-log-bin"]) { target in
                    let dry = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--before", bad, "--defaults-file",
                            target.defaultsFile ?? "", "--dry-run", "--format", "json",
                        ])
                    #expect(dry.status == 0, "\(dry.output)")
                    #expect(dry.output.contains("\"first_not_applied\""), "\(dry.output)")
                    // The DELETE is not applied, but the plan says what it would have changed: ids 3, 6, …, 300.
                    let start = try #require(dry.output.firstIndex(of: "{"))
                    let end = try #require(dry.output.lastIndex(of: "}"))
                    let dryRun =
                        try JSONSerialization.jsonObject(with: Data(dry.output[start...end].utf8)) as? [String: Any]
                    let firstNotApplied = (dryRun?["plan"] as? [String: Any])?["first_not_applied"] as? [String: Any]
                    #expect(firstNotApplied?["id"] as? String == bad, "\(dry.output)")
                    #expect(firstNotApplied?["rows"] as? Int == 100, "\(dry.output)")
                    #expect(try await target.root("SHOW DATABASES LIKE 'shop'").isEmpty, "a dry run changed the target")
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--before", bad, "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(run.status == 0, "\(run.output)")
                    #expect(run.output.contains("ok  applied-transactions"), "\(run.output)")
                    #expect(try await target.rows("shop") == beforeBad)
                    #expect(try await target.rows("shop_archive") == (try await source.rows("shop_archive")))
                    #expect(try await target.root("SHOW DATABASES LIKE 'rewind_restore'").isEmpty)
                }

                // Skipping the note UPDATE is refused: the DELETE later removes rows it changed.
                try await SandboxInstance.withInstance(named: "rs-t2") { target in
                    let refused = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--skip", noteUpdate,
                            "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(refused.status == 2, "\(refused.output)")
                    #expect(
                        refused.output.contains("on a skipped one") && refused.output.contains(bad),
                        "\(refused.output)")
                    // The plan comes first and lists the dependent, as the refusal says.
                    #expect(refused.output.contains("  dependent  \(bad) touches"), "\(refused.output)")
                    #expect(try await target.root("SHOW DATABASES LIKE 'shop'").isEmpty)

                    // (b) --skip the DELETE, into a server with a binlog (GTIDs kept), against mariadb-binlog | mariadb
                    // replaying everything but the DELETE into a reference server.
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--skip", bad, "--defaults-file",
                            target.defaultsFile ?? "", "--format", "json",
                        ])
                    #expect(run.status == 0, "\(run.output)")
                    #expect(run.output.contains("\"kept_gtids\" : true"), "\(run.output)")
                    try await SandboxInstance.withInstance(named: "rs-ref", options: ["--skip-log-bin"]) { reference in
                        let load = try await rewind([
                            "backup", "load", backup, "--defaults-file", reference.defaultsFile ?? "",
                        ])
                        #expect(load.status == 0, "\(load.output)")
                        let first = chain.dropLast().joined(separator: " ")
                        try await shell(
                            "mariadb-binlog --start-position=\(backupPosition.offset) \(first) \(binlogs)/\(deleteStart.file) "
                                + "--stop-position=\(deleteStart.offset) | \(reference.client)")
                        try await shell(
                            "mariadb-binlog --start-position=\(deleteEnd.offset) \(binlogs)/\(deleteEnd.file) | \(reference.client)"
                        )
                        let expected = try await reference.rows("shop")
                        #expect(try await target.rows("shop") == expected)
                        #expect(expected != beforeBad)
                    }
                    let last = try await source.lastGTID()
                    let targetGTIDs = try await target.lastGTID()
                    #expect(targetGTIDs.contains(last), "target gtid_binlog_pos \(targetGTIDs), source \(last)")
                }

                // (f) beside the live database on the source itself: refused without a rename, then shop=shop_r.
                let liveBefore = try await source.rows("shop")
                let refused = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", binlogs, "--before", bad, "--defaults-file",
                        source.defaultsFile ?? "",
                    ])
                #expect(refused.status == 2, "\(refused.output)")
                #expect(refused.output.contains("--into-database"), "\(refused.output)")
                let beside = try await rewind(
                    [
                        "restore", "--backup", backup, "--binlogs", binlogs, "--before", bad, "--into-database",
                        "shop=shop_r",
                        "--defaults-file", source.defaultsFile ?? "",
                    ])
                #expect(beside.status == 0, "\(beside.output)")
                #expect(try await source.rows("shop_r") == beforeBad)
                #expect(try await source.rows("shop") == liveBefore)

                // (e) one table only, up to the end.
                try await SandboxInstance.withInstance(named: "rs-t3", options: ["--skip-log-bin"]) { target in
                    let run = try await rewind(
                        [
                            "restore", "--backup", backup, "--binlogs", binlogs, "--table", "shop.stock",
                            "--defaults-file",
                            target.defaultsFile ?? "",
                        ])
                    #expect(run.status == 0, "\(run.output)")
                    let tables = try await target.root("SHOW TABLES FROM shop")
                    #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "stock", "\(tables)")
                    let expected = try await source.root("SELECT * FROM shop.stock ORDER BY sku")
                    #expect(try await target.root("SELECT * FROM shop.stock ORDER BY sku") == expected)
                }
            }
        }
    }
}
