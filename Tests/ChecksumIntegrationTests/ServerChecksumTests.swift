import BinlogFormat
import Foundation
import Logging
import MySQLWire
import RewindTestSupport
import Testing

@testable import Checksum

let testLogger = Logger(label: "rewind.tests.checksum")

/// `ServerChecksum` and `rewind checksum` on a real MariaDB sandbox of their own (the default covers every database,
/// so no other test's tables may appear): against `rewind backup create`'s manifest, after changing one row, with
/// `--expect`, and the JSON shape.
@Suite(.serialized, .enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
struct ServerChecksumTests {
    static let schema = """
        SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO';
        CREATE DATABASE ck CHARACTER SET utf8mb4;
        USE ck;
        CREATE TABLE types (
          id INT PRIMARY KEY, ti TINYINT, bi BIGINT UNSIGNED, zf INT(6) ZEROFILL, de DECIMAL(30,10), fl FLOAT,
          db DOUBLE, bt BIT(13), d DATE, t TIME(6), dt DATETIME(6), ts TIMESTAMP(3) NULL, y YEAR, c CHAR(10),
          vc VARCHAR(100), lt LONGTEXT, bn BINARY(4), lb LONGBLOB, e ENUM('a','b'), st SET('x','y'), j JSON,
          g GEOMETRY, i6 INET6, u UUID, l1 VARCHAR(20) CHARACTER SET latin1, gen INT AS (ti * 2) VIRTUAL
        );
        INSERT INTO types (id, ti, bi, zf, de, fl, db, bt, d, t, dt, ts, y, c, vc, lt, bn, lb, e, st, j, g, i6, u, l1)
        VALUES
          (1, -128, 18446744073709551615, 42, -12345678901234567890.0123456789, 1.2345678, 0.1e0 + 0.2e0,
           b'1010101010101', '2024-02-29', '-838:59:59.000000', '9999-12-31 23:59:59.999999',
           '2038-01-19 03:14:07.999', 2155, 'ab', 'quote '' back\\\\ nl\\n', 'long 😀', UNHEX('00FF5C27'),
           UNHEX(REPEAT('00FF', 500)), 'b', 'x,y', '{"a": [1, 2.5, "ü"]}', ST_GeomFromText('POINT(1.5 -2.25)'),
           '2001:db8::1', '123e4567-e89b-12d3-a456-426614174000', 'café'),
          (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (3, 0, 0, 0, 0, -3.4028234e38, 2.2250738585072014e-308, b'0', '0000-00-00', '00:00:00.5',
           '0000-00-00 00:00:00', '1970-01-01 00:00:01', 0, '', '', '', UNHEX('00000000'), '', '', '', '[]', NULL,
           '::', '00000000-0000-0000-0000-000000000000', '');
        CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2), note TEXT);
        INSERT INTO orders SELECT seq, CONCAT('customer-', seq MOD 97), seq * 1.25, REPEAT('n', seq MOD 200)
          FROM seq_1_to_6543;
        CREATE TABLE regions (region VARCHAR(20), day DATE, n INT, PRIMARY KEY (region, day));
        INSERT INTO regions SELECT CONCAT('region-', seq MOD 7, IF(seq MOD 3 = 0, ' é', '')),
          DATE_ADD('2020-01-01', INTERVAL seq DAY), seq FROM seq_1_to_3210;
        CREATE TABLE nokey (a INT, b VARCHAR(10));
        INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, 'y');
        CREATE TABLE empty (id INT PRIMARY KEY);
        CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
        ANALYZE TABLE orders, regions;
        CREATE DATABASE ck2;
        CREATE TABLE ck2.orders LIKE ck.orders;
        ALTER TABLE ck2.orders ENGINE = Aria;
        INSERT INTO ck2.orders SELECT * FROM ck.orders ORDER BY id DESC;
        """

    static func withServer(_ body: (SandboxServer) async throws -> Void) async throws {
        try await SandboxInstance.withInstance(named: "ck-src") { server in
            _ = try await SandboxInstance.runOffPool(
                ["--no-defaults", "--socket=\(server.socket ?? "")", "-uroot", "-e", Self.schema],
                executable: "mariadb"
            )
            try await body(server)
        }
    }

    static func rewind(_ arguments: [String], _ server: SandboxServer) async throws -> ChildProcess.Finished {
        try await ChildProcess.runCapturing(
            try ChildProcess.rewindExecutable,
            arguments + ["--defaults-file", server.defaultsFile ?? ""]
        )
    }

    /// `rewind checksum … --format json` parsed into table → (rows, hash).
    static func checksumJSON(_ server: SandboxServer, _ extra: [String] = []) async throws -> [String: (UInt64, String)]
    {
        let run = try await Self.rewind(["checksum", "--format", "json"] + extra, server)
        #expect(run.status == 0, "\(run.text)")
        return try Self.tables(ofJSON: run.text)
    }

    static func tables(ofJSON text: String) throws -> [String: (UInt64, String)] {
        let start = try #require(text.firstIndex(of: "{"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text[start...].utf8)) as? [String: Any])
        var tables: [String: (UInt64, String)] = [:]
        for table in try #require(object["tables"] as? [[String: Any]]) {
            let name = "\(table["database"] as? String ?? "").\(table["table"] as? String ?? "")"
            tables[name] = ((table["rows"] as? NSNumber)?.uint64Value ?? 0, table["hash"] as? String ?? "")
        }
        return tables
    }

    @Test(.timeLimit(.minutes(10)))
    func keyRangesAddUpToTheWholeTableWhateverTheStorageAndOrder() async throws {
        try await Self.withServer { server in
            try await MySQLConnection.withConnections(
                count: 3,
                configuration: server.configuration(),
                logger: testLogger
            ) {
                connections in
                let tables = try await ServerChecksum.tables(matching: TableSelection(), on: connections[0])
                #expect(
                    tables.map(\.description)
                        == ["ck.empty", "ck.nokey", "ck.orders", "ck.regions", "ck.types", "ck2.orders"]
                )  // no view, no system table
                let events = EventLog()
                // 1 KiB ranges cut orders and regions (keys of 1000 rows at the least) into several ranges each.
                let chunked = try await ServerChecksum.compute(
                    tables: tables,
                    on: connections,
                    chunkBytes: 1024,
                    report: { events.append($0) }
                )
                let whole = try await ServerChecksum.compute(
                    tables: tables,
                    on: [connections[0]],
                    chunkBytes: 1 << 40,
                    report: { events.append($0) }
                )
                #expect(chunked == whole)
                let chunkCounts = events.plannedChunks
                #expect(
                    chunkCounts.count == 2 && chunkCounts[0] >= tables.count + 6 && chunkCounts[1] == tables.count,
                    "\(chunkCounts)"
                )
                let byName = Dictionary(uniqueKeysWithValues: chunked.map { ($0.name.description, $0.hash) })
                #expect(byName["ck.orders"]?.rows == 6543 && byName["ck.regions"]?.rows == 3210)
                #expect(byName["ck.nokey"]?.rows == 4 && byName["ck.empty"] == RowSetHash())
                // InnoDB rows inserted in key order and Aria rows inserted backwards: the same rows, the same hash.
                #expect(byName["ck.orders"] == byName["ck2.orders"])
                // Each row counts: the duplicate rows of nokey do not cancel.
                #expect(byName["ck.nokey"]?.value != 0)

                let missing = await #expect(throws: ChecksumError.self) {
                    _ = try await ServerChecksum.compute(
                        tables: [
                            QualifiedTable(database: "ck", table: "nosuch"),
                            QualifiedTable(database: "ck", table: "big_orders"),
                        ],
                        on: connections
                    )
                }
                #expect(missing?.code == .noSuchTable)
                #expect(missing?.message.contains("ck.nosuch, ck.big_orders") == true, "\(String(describing: missing))")
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func checksumEqualsTheBackupManifestAndFindsTheOneChangedTable() async throws {
        try await Self.withServer { server in
            let catalog = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-ck-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let backup = try await Self.rewind(["backup", "create", "--to", catalog, "--threads", "2"], server)
            #expect(backup.status == 0, "\(backup.text)")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: catalog).first)
            let manifestPath = "\(catalog)/\(id)/manifest.json"
            let manifest = try Self.tables(ofJSON: String(contentsOfFile: manifestPath, encoding: .utf8))
            #expect(manifest.count == 6)

            // The same rows and hashes as the backup's manifest, table by table.
            let before = try await Self.checksumJSON(server, ["--threads", "3"])
            #expect(before.keys.sorted() == manifest.keys.sorted())
            for (name, value) in manifest {
                #expect(before[name]?.0 == value.0 && before[name]?.1 == value.1, "\(name)")
            }
            for expect in [manifestPath, "\(catalog)/\(id)"] {
                let equal = try await Self.rewind(["checksum", "--expect", expect], server)
                #expect(equal.status == 0, "\(equal.text)")
                #expect(equal.text.contains("every table equals \(expect)"), "\(equal.text)")
            }
            let earlier = catalog + "/before.json"
            let saved = try await Self.rewind(["checksum", "--format", "json"], server)
            try saved.text.write(toFile: earlier, atomically: true, encoding: .utf8)

            // One changed value in one row changes exactly that table's hash (the row count stays).
            _ = try await SandboxInstance.rootQuery(
                "UPDATE ck.regions SET n = n + 1 WHERE n = 1500",
                socket: server.socket ?? ""
            )
            let after = try await Self.checksumJSON(server)
            for (name, value) in before where name != "ck.regions" {
                #expect(after[name]?.1 == value.1, "\(name) changed")
            }
            #expect(after["ck.regions"]?.0 == 3210 && after["ck.regions"]?.1 != before["ck.regions"]?.1)

            // --expect names the table that differs and exits 2; also against the manifest.
            for expect in [earlier, manifestPath] {
                let differs = try await Self.rewind(["checksum", "--expect", expect], server)
                #expect(differs.status == 2, "\(differs.text)")
                #expect(differs.text.contains("differs  ck.regions: 3210 rows"), "\(differs.text)")
                #expect(differs.text.contains("1 table differs from \(expect)"), "\(differs.text)")
            }
            // Narrowed to other tables it is equal again; a missing and an extra table are named.
            let narrowed = try await Self.rewind(
                ["checksum", "--database", "ck2", "--table", "ck.orders", "--expect", earlier],
                server
            )
            #expect(narrowed.status == 0, "\(narrowed.text)")
            _ = try await SandboxInstance.rootQuery(
                "DROP TABLE ck.nokey; CREATE TABLE ck2.extra (id INT PRIMARY KEY)",
                socket: server.socket ?? ""
            )
            let changed = try await Self.rewind(["checksum", "--format", "json", "--expect", earlier], server)
            #expect(changed.status == 2, "\(changed.text)")
            let brace = try #require(changed.text.firstIndex(of: "{"))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(changed.text[brace...].utf8)) as? [String: Any]
            )
            let expected = try #require(object["expected"] as? [String: Any])
            let differences = try #require(expected["differences"] as? [[String: Any]])
            #expect(
                differences.map { "\($0["status"] ?? "") \($0["database"] ?? "").\($0["table"] ?? "")" }
                    == ["missing ck.nokey", "differs ck.regions", "extra ck2.extra"]
            )
            #expect(expected["equal_tables"] as? Int == 4 && expected["file"] as? String == earlier)
            Self.expectDocumented(object)

            // Errors: exit 1, named.
            let unknown = try await Self.rewind(["checksum", "--table", "ck.nosuch"], server)
            #expect(unknown.status == 1 && unknown.text.contains("ck.nosuch"), "\(unknown.text)")
            let badFile = try await Self.rewind(["checksum", "--expect", catalog], server)
            #expect(badFile.status == 1 && badFile.text.contains("\(catalog)/manifest.json"), "\(badFile.text)")
        }
    }

    /// Every key of the JSON output is snake_case and documented in docs/checksum.md.
    static func expectDocumented(_ object: [String: Any]) {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = (try? String(contentsOf: checkout.appendingPathComponent("docs/checksum.md"), encoding: .utf8)) ?? ""
        func keys(_ value: Any) -> Set<String> {
            if let object = value as? [String: Any] {
                return object.reduce(into: Set(object.keys)) { $0.formUnion(keys($1.value)) }
            }
            if let array = value as? [Any] { return array.reduce(into: Set<String>()) { $0.formUnion(keys($1)) } }
            return []
        }
        let all = keys(object)
        #expect(all.isSuperset(of: ["hash_algorithm", "server", "tables", "rows", "hash", "expected_rows", "status"]))
        for key in all.sorted() {
            #expect(key.allSatisfy { $0.isLowercase || $0 == "_" }, "\(key) is not snake_case")
            #expect(doc.contains("`\(key)`"), "\(key) is not documented in docs/checksum.md")
        }
    }
}

/// Collects progress events from the checksum's task.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ChecksumEvent] = []

    func append(_ event: ChecksumEvent) { self.lock.withLock { self.events.append(event) } }

    /// The chunk counts of every `planned` event.
    var plannedChunks: [Int] {
        self.lock.withLock {
            self.events.compactMap { if case .planned(_, let chunks, _) = $0 { return chunks } else { return nil } }
        }
    }
}
