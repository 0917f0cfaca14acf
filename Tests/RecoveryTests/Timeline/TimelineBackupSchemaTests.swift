import BackupStorage
import Foundation
import Logging
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// A binlog written with `binlog_row_metadata=MINIMAL` names no columns; with a backup (its manifest and the
/// `SHOW CREATE TABLE` files, as `rewind backup` writes them) the timeline names them, also after an
/// `ALTER TABLE … ADD COLUMN` in the window, and takes the backup's row counts for `large_share`.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct TimelineBackupSchemaTests {
    static let logger = Logger(label: "rewind.tests.timeline-backup")

    @Test(.serialized, .timeLimit(.minutes(10)), arguments: TestBackupStore.available)
    func columnNamesComeFromTheBackupAndFollowDDL(store kind: TestBackupStore) async throws {
        try await SandboxInstance.withInstance(named: "min", options: ["--binlog-row-metadata=MINIMAL"]) { server in
            try await kind.withCatalog("timeline-backup") { backup, _ in
                let files = try await MySQLConnection.withConnection(
                    configuration: server.configuration(),
                    logger: Self.logger
                ) {
                    connection in
                    _ = try await connection.query(
                        """
                        CREATE DATABASE inv;
                        CREATE TABLE inv.stock (sku VARCHAR(20) PRIMARY KEY, qty INT NOT NULL, price DECIMAL(8,2),
                          KEY by_qty (qty));
                        INSERT INTO inv.stock SELECT CONCAT('S', seq), seq, seq / 4 FROM inv.seq_1_to_100
                        """
                    )
                    // The backup: manifest.json and one schema file per table, from the server's own SHOW CREATE TABLE.
                    let create = try #require(try await connection.rows("SHOW CREATE TABLE inv.stock").first?[1].string)
                    try await backup.write(create + ";\n", to: "schema/inv/stock.sql", replacing: false)
                    let manifest = """
                        {"id": "test", "tables": [{"database": "inv", "table": "stock", "rows": 100,
                          "schema_file": "schema/inv/stock.sql"}]}
                        """
                    try await backup.write(manifest, to: "manifest.json", replacing: false)

                    _ = try await connection.query("FLUSH BINARY LOGS")
                    let first = try #require(try await connection.rows("SHOW MASTER STATUS").first?[0].string)
                    _ = try await connection.query(
                        """
                        UPDATE inv.stock SET qty = qty - 1 WHERE sku = 'S7';
                        ALTER TABLE inv.stock ADD COLUMN warehouse VARCHAR(10) AFTER sku;
                        INSERT INTO inv.stock VALUES ('S101', 'north', 3, 1.50);
                        DELETE FROM inv.stock WHERE qty <= 60
                        """
                    )
                    _ = try await connection.query("FLUSH BINARY LOGS")
                    return [first]
                }
                let paths = files.map { server.binlogDirectory + "/" + $0 }

                var bare: [TimelineTransaction] = []
                _ = try await TimelineReader().read(.files(paths), logger: Self.logger) { bare.append($0) }
                let rowChanges = bare.filter { !$0.tables.isEmpty }
                #expect(rowChanges.count == 3)
                #expect(
                    rowChanges.allSatisfy { $0.tables.allSatisfy { $0.columns == nil } }, "MINIMAL names no columns")
                // Without the backup, 61 of an unknown number of rows is not enough for any reason.
                #expect(bare.allSatisfy { $0.suspicious.isEmpty })

                // Unknown row counts: with a lower bar, the DELETE stands out against the table's one-row UPDATE
                // (rate_spike; from that transaction on the timeline goes through its spool).
                var spiky: [TimelineTransaction] = []
                let lowBar = TimelineThresholds(rateSpikeMinimumRows: 50)
                _ = try await TimelineReader(thresholds: lowBar).read(.files(paths), logger: Self.logger) {
                    spiky.append($0)
                }
                #expect(spiky.map(\.jsonLine).count == bare.count)
                let spike = try #require(spiky.last { !$0.tables.isEmpty })
                #expect(spike.suspicious.map(\.reason) == [.rateSpike])
                #expect(spike.suspicious.first?.detail.hasPrefix("deleted 61 rows of inv.stock") == true)
                #expect(spiky.filter { !$0.suspicious.isEmpty }.count == 1)

                var listed: [TimelineTransaction] = []
                _ = try await TimelineReader(backup: try await BackupSchema(store: backup)).read(
                    .files(paths),
                    logger: Self.logger
                ) {
                    listed.append($0)
                }
                let changes = listed.filter { !$0.tables.isEmpty }
                #expect(changes.count == 3)
                #expect(changes[0].tables[0].columns == ["sku", "qty", "price"])
                #expect(changes[0].tables[0].rowsBefore == 100)
                #expect(changes[1].tables[0].columns == ["sku", "warehouse", "qty", "price"])
                #expect(changes[1].tables[0].rowsBefore == 100)
                #expect(changes[2].tables[0].columns == ["sku", "warehouse", "qty", "price"])
                #expect(changes[2].tables[0].rowsBefore == 101)
                #expect(changes[2].tables[0].deleted == 61)
                #expect(changes[2].suspicious.map(\.reason) == [.largeShare])
                #expect(changes[2].suspicious.first?.detail == "deleted 61 of 101 rows (60%) of inv.stock")

                // `binlog show -v --backup`'s path: the table maps of the rows events, named as of their position.
                var schema = try await BackupSchema(store: backup).schema
                var named: [[String?]] = []
                _ = try await BinlogInspector().read(.files(paths)) { item in
                    schema.follow(item.record.event)
                    if case .rows(let rows) = item.record.event,
                        let map = schema.naming(item.context).tableMap(for: rows)
                    {
                        #expect(item.context.tableMap(for: rows)?.hasColumnNames == false)
                        named.append(map.columns.map(\.name))
                    }
                }
                #expect(
                    named == [
                        ["sku", "qty", "price"], ["sku", "warehouse", "qty", "price"],
                        ["sku", "warehouse", "qty", "price"],
                    ]
                )

                // A backup directory without a manifest is named.
                let error = await #expect(throws: RecoveryError.self) {
                    try await BackupSchema(store: backup.descending(into: "schema"))
                }
                #expect(error?.description.contains("manifest.json") == true)
            }
        }
    }
}
