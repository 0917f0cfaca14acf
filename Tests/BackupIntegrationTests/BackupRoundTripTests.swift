import BackupStorage
import Checksum
import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import Backup

/// Acceptance 1: a database over every column type, several charsets, a table without keys, a composite non-integer
/// key, a 50 MB BLOB row, views, triggers and routines goes through `backup create` and `load` (and through plain
/// `zstd -dc | mariadb` in the manifest's order) and comes out equal, by `mariadb-dump --order-by-primary`.
///
/// The two stores run at once, each on instances of its own: run one after the other, the S3 case was the last test
/// of the whole run to finish, alone on the machine for more than two minutes.
@Suite(.enabled(if: backupSuitesEnabled)) struct BackupRoundTripTests {
    static let schema = """
        SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO';
        CREATE DATABASE acc CHARACTER SET utf8mb4;
        USE acc;
        CREATE TABLE types (
          id INT PRIMARY KEY AUTO_INCREMENT, ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT UNSIGNED,
          bs BIGINT, zf INT(6) ZEROFILL, de DECIMAL(30,10), fl FLOAT, db DOUBLE, bt BIT(13), b1 BIT(1), d DATE,
          t TIME(6), dt DATETIME(6), ts TIMESTAMP(3) NULL, y YEAR, c CHAR(10), vc VARCHAR(100), tt TINYTEXT,
          tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, bn BINARY(4), vb VARBINARY(50), tb TINYBLOB, bl BLOB,
          mb MEDIUMBLOB, lb LONGBLOB, e ENUM('a','b','it''s'), st SET('x','y','z'), j JSON, g GEOMETRY,
          p POINT, i6 INET6, u UUID, gen INT AS (ti * 2) VIRTUAL, gs BIGINT AS (mi + 1) STORED
        );
        INSERT INTO types (ti, si, mi, bi, bs, zf, de, fl, db, bt, b1, d, t, dt, ts, y, c, vc, tt, tx, mt, lt, bn,
          vb, tb, bl, mb, lb, e, st, j, g, p, i6, u) VALUES
          (-128, 65535, -8388608, 18446744073709551615, -9223372036854775808, 42, -12345678901234567890.0123456789,
           1.2345678, 0.1e0 + 0.2e0, b'1010101010101', b'1', '2024-02-29', '-838:59:59.000000',
           '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', 2155, 'ab', 'quote '' back\\\\ nl\\n tab\\t',
           'tiny', REPEAT('text ', 1000), 'medium', 'long 😀 emoji', UNHEX('00FF5C27'), UNHEX('000102035C27225C'),
           UNHEX('FF'), UNHEX(REPEAT('00FF', 500)), '', UNHEX('1A0D0A5C00'), 'it''s', 'x,z',
           '{"a": [1, 2.5, "ü"], "b": null}', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'),
           ST_GeomFromText('POINT(1.5 -2.25)'), '2001:db8::1', '123e4567-e89b-12d3-a456-426614174000'),
          (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL),
          (0, 0, 0, 0, 0, 0, 0, -3.4028234e38, 2.2250738585072014e-308, 0, b'0', '0000-00-00', '00:00:00.5',
           '0000-00-00 00:00:00', '1970-01-01 00:00:01', 0, '', '', '', '', '', '', UNHEX('00000000'), '', '', '',
           '', '', '', '', '[]', NULL, NULL, '::', '00000000-0000-0000-0000-000000000000');
        INSERT INTO types (id, ti) VALUES (0, 7);
        CREATE TABLE latin (id INT PRIMARY KEY, name VARCHAR(50)) CHARACTER SET latin1;
        INSERT INTO latin VALUES (1, 'café crème'), (2, 'Æsir ß ÿ'), (3, CONVERT(UNHEX('5C27E9') USING latin1));
        CREATE TABLE jp (id INT PRIMARY KEY, name VARCHAR(50)) CHARACTER SET sjis;
        INSERT INTO jp VALUES (1, '表示'), (2, 'ソフト'), (3, '能力');
        CREATE TABLE greek (id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET greek, ru VARCHAR(50) CHARACTER SET cp1251);
        INSERT INTO greek VALUES (1, 'αβγ', 'привет');
        CREATE TABLE nokey (a INT, b VARCHAR(10));
        INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, 'y');
        CREATE TABLE composite (region VARCHAR(20), day DATE, n INT, note VARCHAR(200),
          PRIMARY KEY (region, day)) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100));
        CREATE TABLE bigblob (id INT PRIMARY KEY, data LONGBLOB);
        CREATE VIEW v2 AS SELECT region, n FROM composite WHERE n > 10;
        CREATE VIEW v1 AS SELECT region, COUNT(*) AS days FROM v2 GROUP BY region;
        CREATE TRIGGER composite_ai AFTER INSERT ON composite FOR EACH ROW
          INSERT INTO audit (what) VALUES (CONCAT('inserted ', NEW.region));
        DELIMITER ;;
        CREATE PROCEDURE fill(IN k INT)
        BEGIN
          DECLARE i INT DEFAULT 0;
          WHILE i < k DO
            INSERT INTO composite VALUES (CONCAT('region-', i MOD 7, IF(i MOD 3 = 0, ' é', '')),
              DATE_ADD('2020-01-01', INTERVAL i DAY), i, REPEAT('n', i MOD 150));
            SET i = i + 1;
          END WHILE;
        END;;
        CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;;
        CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM audit;;
        DELIMITER ;
        CALL fill(3000);
        INSERT INTO bigblob VALUES (1, REPEAT(UNHEX('00FF27225C0A0D1A'), 50 * 1024 * 1024 / 8)), (2, 'small');
        ANALYZE TABLE composite;
        """

    @Test(arguments: TestBackupStore.available)
    func backupAndLoadGiveTheSameRowsByAnIndependentDump(store kind: TestBackupStore) async throws {
        try await SandboxInstance.withInstance(named: "bk-src-\(kind)", options: ["--max-allowed-packet=256M"]) {
            source in
            try await SandboxInstance.withInstance(named: "bk-dst-\(kind)") { target in
                try await shell("\(source.client) <<'SQL'\n\(Self.schema)\nSQL")
                try await kind.withCatalog("backup") { catalog, location in
                    let manifest = try await BackupCreator.create(
                        options: BackupCreateOptions(
                            catalog: catalog,
                            threads: 4,
                            databases: ["acc"],
                            chunkBytes: 32 << 10,
                            rewindVersion: "test"
                        ),
                        configuration: source.configuration(),
                        logger: testLogger
                    )
                    #expect(manifest.state == .complete)
                    let composite = try #require(manifest.tables.first { $0.table == "composite" })
                    #expect(composite.chunks.count > 1, "the composite key cuts the table into several chunks")
                    #expect(composite.chunkKey == ["region", "day"])
                    #expect(manifest.tables.first { $0.table == "nokey" }?.chunks.count == 1)
                    #expect(
                        manifest.tables.first { $0.table == "types" }?.columns.contains { $0.name == "gen" } == false)
                    let backup = catalog.descending(into: manifest.id)
                    // The schema file contract (issue 9 reads it): SHOW CREATE TABLE text and ";\n".
                    let schema = String(
                        decoding: try #require(try await backup.read(composite.schemaFile)), as: UTF8.self)
                    #expect(
                        schema.hasPrefix("CREATE TABLE `composite` (\n") && schema.hasSuffix("utf8mb4_unicode_ci;\n"))
                    #expect(schema.filter { $0 == ";" }.count == 1)

                    _ = try await BackupVerifier.verify(backup)
                    let summary = try await BackupLoader.load(
                        options: BackupLoadOptions(backup: backup, threads: 4),
                        configuration: target.configuration(),
                        logger: testLogger
                    )
                    #expect(summary.verifiedTables == manifest.tables.count)
                    #expect(summary.raisedMaxAllowedPacket != nil, "the 50 MB row needs a larger max_allowed_packet")
                    let expected = try await source.dump("acc")
                    #expect(try await target.dump("acc") == expected)
                    #expect(
                        try await target.root("SELECT COUNT(*) FROM acc.audit") == "3000\n", "triggers did not fire")

                    // The same files through plain zstd and mariadb, in the manifest's load order (from S3 through
                    // `aws s3 cp … -`, without rewind either).
                    _ = try await target.root("DROP DATABASE acc; SET GLOBAL max_allowed_packet = 1073741824")
                    try await shell(
                        try PlainTools.loadOrderStream(kind, backup: location + "/" + manifest.id)
                            + " | \(target.client)"
                    )
                    #expect(try await target.dump("acc") == expected)
                }
            }
        }
    }
}
