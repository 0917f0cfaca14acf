import BinlogFormat
import Foundation
import Recovery
import RewindTestSupport
import Testing

@testable import RewindCLI

/// Acceptance: on the real MariaDB sandbox, every column type, INSERT/UPDATE/DELETE: `rewind binlog show -v`
/// prints the same row values as `mariadb-binlog -v --base64-output=decode-rows` on the same file.
@Suite(.serialized) struct BinlogShowMatchesMariaDBBinlogTests {
    static let columns = """
        id INT NOT NULL PRIMARY KEY,
        ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED,
        i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
        d1 DECIMAL(10,2), d2 DECIMAL(65,30), d3 DECIMAL(5,0) UNSIGNED, f FLOAT, dbl DOUBLE,
        b1 BIT(1), b17 BIT(17), b64 BIT(64), y YEAR,
        dt DATE, tm TIME, tm6 TIME(6), dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6), ts6 TIMESTAMP(6) NULL,
        c CHAR(10) CHARACTER SET utf8mb4, vc VARCHAR(300) CHARACTER SET utf8mb4, vl VARCHAR(20) CHARACTER SET latin1,
        bn BINARY(4), vb VARBINARY(50), tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT,
        tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
        e ENUM('small','médium','large'), st SET('a','b','c','d','e','f','g','h','i'),
        js JSON, g GEOMETRY, u UUID, ip6 INET6, ip4 INET4
        """

    static let rows = """
        (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808,
         18446744073709551615, -12345678.90, -12345678901234567890123456789012345.123456789012345678901234567890, 99999,
         -1.5e38, -2.2250738585072014e-308, b'1', b'10101010101010101', b'1111111111111111111111111111111111111111111111111111111111111111',
         1901, '1000-01-01', '-838:59:59', '-838:59:58.999999', '1000-01-01 00:00:00', '2024-02-29 12:34:56.789',
         '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01.000001', 'ab', 'Grüße, 世界 🌍', 'caf\\xe9', 0x00FF10, 0x0001FEFF,
         'tiny', REPEAT('x', 300), REPEAT('m', 70000), 'long', 0x01, 0x0203, REPEAT(0xAB, 10), 0x0405,
         'médium', 'a,c,i', '{"k": [1, 2.5, "v"], "n": null}', ST_GeomFromText('POINT(1 2)'),
         '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1', '192.168.0.1'),
        (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0.00, 0, 0, 0, 0,
         b'0', b'0', b'0', 2155, '9999-12-31', '838:59:59', '00:00:00.000001', '9999-12-31 23:59:59', '0000-00-00 00:00:00.000',
         '2000-01-01 00:00:00.000000', '2038-01-19 03:14:07.999999', '', '', '', 0x00, '', '', '', '', '', '', '', '', '',
         'large', '', '[]', ST_GeomFromText('LINESTRING(0 0,1 1)'), '00000000-0000-0000-0000-000000000000', '::', '0.0.0.0'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """

    @Test func rowValuesMatchMariaDBBinlog() async throws {
        guard SandboxServer.shouldRun else {
            print("SKIPPED loudly: no MariaDB sandbox (run scripts/test, which starts it)")
            return
        }
        // An instance of its own: other suites write to (and rotate) the shared sandbox's binlog meanwhile.
        try await SandboxInstance.withInstance(named: "cli-compare") { server in
            try await self.compare(on: server)
        }
    }

    func compare(on server: SandboxServer) async throws {
        let defaults = try #require(server.defaultsFile)
        func sql(_ text: String) async throws -> String {
            try await SandboxInstance.runOffPool(
                ["--defaults-file=\(defaults)", "-N", "-B", "-e", text], executable: "mariadb")
        }
        let database = "cli_compare_\(UInt32.random(in: 0...UInt32.max))"
        let status = try await sql("SHOW MASTER STATUS").split(separator: "\t")
        let file = "\(server.binlogDirectory)/\(status[0])"
        let start = try #require(UInt64(status[1]))
        _ = try await sql(
            """
            SET SESSION sql_mode = ''; SET SESSION time_zone = '+00:00';
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (\(Self.columns)) ENGINE=InnoDB;
            INSERT INTO t VALUES \(Self.rows);
            UPDATE t SET vc = CONCAT(vc, ' ✓'), bi = bi DIV 2, dtm6 = '2001-02-03 04:05:06.070809', e = 'small' WHERE id IN (1, 2);
            UPDATE t SET ti = 1, st = 'b' WHERE id = 3;
            DELETE FROM t WHERE id = 2;
            """)

        let peer = try await SandboxInstance.runOffPool(
            ["-v", "--base64-output=decode-rows", "--start-position=\(start)", "--database=\(database)", file],
            executable: "mariadb-binlog")
        let expected = Self.rowLines(peer)

        var out = OutputSink.capturing()
        let inspector = BinlogInspector(filter: BinlogEventFilter(startPosition: start, databases: [database]))
        let renderer = EventTextRenderer(verbosity: 1, utcOffset: 0)
        _ = try await inspector.read(.files([file])) { item in try renderer.render(item, into: &out) }
        let ours = Self.rowLines(out.captured).map(Self.withoutNameComment)

        #expect(expected.count > 150, "mariadb-binlog printed \(expected.count) row lines")
        #expect(ours.count == expected.count)
        for (index, (mine, theirs)) in zip(ours, expected).enumerated() where mine != theirs {
            Issue.record("row line \(index): rewind \(mine.prefix(200)) | mariadb-binlog \(theirs.prefix(200))")
        }
        // With binlog_row_metadata=FULL the column names come along.
        #expect(out.captured.contains("/* vc */"))
        _ = try await sql("DROP DATABASE IF EXISTS \(database)")
    }

    /// The demo's kind of workload on a fresh binlog: `use` lines come where mariadb-binlog puts them (never
    /// before CREATE DATABASE), the sandbox speaks utf8mb4 end to end (`'café'` prints as UTF-8), and
    /// `--table` leaves no GTID header of a filtered-out DROP TABLE.
    @Test func useLinesCharsetAndFilteredDDLMatchMariaDBBinlog() async throws {
        guard SandboxServer.shouldRun else {
            print("SKIPPED loudly: no MariaDB sandbox (run scripts/test, which starts it)")
            return
        }
        try await SandboxInstance.withInstance(named: "cli-compare") { server in
            let defaults = try #require(server.defaultsFile)
            func sql(_ text: String) async throws -> String {
                try await SandboxInstance.runOffPool(
                    ["--defaults-file=\(defaults)", "-N", "-B", "-e", text], executable: "mariadb")
            }
            #expect(try await sql("SELECT @@character_set_server, @@character_set_client") == "utf8mb4\tutf8mb4\n")
            let database = "use_order_\(UInt32.random(in: 0...UInt32.max))"
            _ = try await sql("FLUSH BINARY LOGS")
            let file = "\(server.binlogDirectory)/\(try await sql("SHOW MASTER STATUS").split(separator: "\t")[0])"
            _ = try await sql(
                """
                CREATE DATABASE \(database);
                CREATE TABLE \(database).a (id INT PRIMARY KEY, note TEXT);
                CREATE TABLE \(database).b (id INT PRIMARY KEY);
                INSERT INTO \(database).a VALUES (1, 'café');
                USE \(database); INSERT INTO b VALUES (1); UPDATE a SET note = 'thé' WHERE id = 1;
                DROP TABLE \(database).b;
                DROP DATABASE \(database);
                """)
            _ = try await sql("FLUSH BINARY LOGS")
            let peer = try await SandboxInstance.runOffPool(
                ["-v", "--base64-output=decode-rows", file], executable: "mariadb-binlog")
            var out = OutputSink.capturing()
            let renderer = EventTextRenderer(verbosity: 1, utcOffset: 0)
            var current: [UInt8] = []
            _ = try await BinlogInspector().read(.files([file])) { item in
                try renderer.render(item, defaultDatabase: current, into: &out)
                current = EventTextRenderer.defaultDatabase(after: item.record, current: current)
            }
            let ours = Self.useLines(out.captured)
            let theirs = Self.useLines(peer)
            #expect(!theirs.isEmpty)
            #expect(ours == theirs, "rewind \(ours) | mariadb-binlog \(theirs)")
            #expect(out.captured.contains("'café'"))

            var filtered: [BinlogInspector.Item] = []
            _ = try await BinlogInspector(filter: BinlogEventFilter(tables: ["\(database).a"])).read(.files([file])) {
                filtered.append($0)
            }
            for (index, item) in filtered.enumerated() {
                guard case .mariadbGTID = item.record.event else { continue }
                let next = index + 1 < filtered.count ? filtered[index + 1].record.event : nil
                if case .mariadbGTID = next { Issue.record("GTID at \(item.record.position) without its statement") }
                if next == nil { Issue.record("GTID at \(item.record.position) ends the output") }
            }
        }
    }

    /// Each `use` line with the `# at` offset of the event it belongs to.
    static func useLines(_ text: String) -> [String] {
        var at = ""
        var result: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# at ") { at = String(line) }
            if line.hasPrefix("use ") { result.append("\(at): \(line)") }
        }
        return result
    }

    /// The `###` lines, as bytes-as-text (mariadb-binlog prints latin1 bytes raw; compare them the same way).
    static func rowLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("###") }.map(String.init)
    }

    static func withoutNameComment(_ line: String) -> String {
        guard line.hasSuffix(" */"), let range = line.range(of: " /* ", options: .backwards) else { return line }
        return String(line[..<range.lowerBound])
    }
}
