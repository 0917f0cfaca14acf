import BinlogFormat
import Foundation
import Logging
import MySQLWire
import Recovery
import RewindTestSupport
import SQLRendering
import Testing

/// Every value a row event holds, inserted again through its SQL literal into a real MariaDB, comes back
/// equal (read from the binlog of that insert) and compares equal to the stored value (`col <=> literal`).
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct LiteralRoundTripTests {
    static let logger = Logger(label: "rewind.tests.sqlrendering")

    static let columns = """
        id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT UNSIGNED, bi BIGINT,
        biu BIGINT UNSIGNED, dc DECIMAL(30,10), dc0 DECIMAL(5,0), f FLOAT, d DOUBLE, y YEAR, dt DATE, tm TIME(6),
        tm0 TIME, dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(3) NULL DEFAULT NULL, e ENUM('a','b','c'),
        st SET('x','y','z'), b BIT(10), b1 BIT(1), vb VARBINARY(20), bn BINARY(6), bl BLOB,
        lt VARCHAR(20) CHARACTER SET latin1, ch CHAR(5) CHARACTER SET latin1, u8 VARCHAR(50) CHARACTER SET utf8mb4,
        u3 VARCHAR(20) CHARACTER SET utf8mb3, tx TEXT CHARACTER SET utf8mb4, l2 VARCHAR(10) CHARACTER SET latin2,
        j JSON, g GEOMETRY NULL, uu UUID, ip INET6
        """

    static let rows = [
        """
        (1, 1, 2, 3, 4, 5, 6, 123.4560000000, 7, 1.5, 2.25, 2024, '2024-02-29', '12:34:56.789012', '-01:02:03',
        '2024-02-29 13:45:00.123456', '2024-02-29 13:45:01', '2024-02-29 13:45:00.120', 'b', 'x,z', b'0100000101', b'1',
        0x00FF00, 'ab', 0xDEADBEEF, 'café', 'x', 'it''s één 🙂', 'résumé', 'two\nlines\tand tab', 'Łódź',
        '{"a": [1, 2.5, "x"], "b": null}', ST_GeomFromText('POINT(1 2)'), '123e4567-e89b-12d3-a456-426614174000',
        '2001:db8::1')
        """,
        """
        (2, -128, 255, -32768, 16777215, -9223372036854775808, 18446744073709551615,
        -99999999999999999999.9999999999, -99999, -3.40282e38, 1.7976931348623157e308, 2155, '9999-12-31',
        '-838:59:59.999999', '838:59:59', '9999-12-31 23:59:59.999999', '1000-01-01 00:00:00',
        '2038-01-19 03:14:07.999', 'c', 'x,y,z', b'1111111111', b'0', 0x00, 0x00FF, '', 'back\\\\slash',
        'a  ', 'quote '' and \\\\ back', '€', '', '', '[]', NULL, '00000000-0000-0000-0000-000000000000', '::')
        """,
        """
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """,
        """
        (4, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1, 0, '0000-00-00', '00:00:00', '00:00:00', '0000-00-00 00:00:00',
        '0000-00-00 00:00:00', '1970-01-01 00:00:01', 'a', '', b'0', b'0', '', '', '', '', '', '', '', '', '',
        '{}', ST_GeomFromText('LINESTRING(0 0, 1 1.5)'), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '::ffff:1.2.3.4')
        """,
        """
        (5, 7, 8, 9, 10, 11, 12, 0.0000000001, 1, 1e-30, 5e-324, 1901, '1000-01-01', '-00:00:00.000001', '-00:00:01',
        '2000-01-01 00:00:00.000001', '2000-01-01 00:00:00', '2000-01-01 00:00:00.001', 'a', 'y', b'0000000001',
        b'1', 0x0000, 0x000102030405, REPEAT(0xAB, 60000), 0xE9E0, '\\'', REPEAT('ü', 50), 'a\\0b', '\\r\\n',
        0xA3B1, '"str"', NULL, NULL, NULL)
        """,
    ]

    @Test(.timeLimit(.minutes(10)))
    func everyValueComesBackThroughItsLiteral() async throws {
        try await SandboxInstance.withInstance(named: "literals") { server in
            try await Self.roundTrip(server)
        }
    }

    static func roundTrip(_ server: SandboxServer) async throws {
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: Self.logger) {
            connection in
            _ = try await connection.query(
                """
                SET time_zone = '+00:00'; SET sql_mode = ''; SET NAMES utf8mb4;
                CREATE DATABASE lit; CREATE TABLE lit.src (\(Self.columns)); CREATE TABLE lit.dst LIKE lit.src;
                FLUSH BINARY LOGS
                """)
            let first = try #require(try await connection.rows("SHOW MASTER STATUS").first?[0].string)
            _ = try await connection.query("INSERT INTO lit.src VALUES " + Self.rows.joined(separator: ", "))
            _ = try await connection.query("FLUSH BINARY LOGS")
            let (map, originals) = try Self.rows(of: "src", in: server.binlogDirectory + "/" + first)
            #expect(originals.count == Self.rows.count)

            // The same values again, through their literals, under the session the literals assume.
            for statement in SQLLiteral.sessionStatements { _ = try await connection.query(statement) }
            _ = try await connection.query(
                "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,STRICT_ALL_TABLES'")
            let second = try #require(try await connection.rows("SHOW MASTER STATUS").first?[0].string)
            let names = map.columns.map { SQLIdentifier.quoted($0.name ?? "") }.joined(separator: ", ")
            for values in originals {
                let literals = try zip(values, map.columns).map { try SQLLiteral.render($0.0, column: $0.1) }
                _ = try await connection.query(
                    "INSERT INTO lit.dst (\(names)) VALUES (\(literals.joined(separator: ", ")))")
                // Each literal also compares equal to the stored value (what undo guards rely on).
                let guardSQL = zip(map.columns, literals).map { "\(SQLIdentifier.quoted($0.0.name ?? "")) <=> \($0.1)" }
                let count = try await connection.rows(
                    "SELECT COUNT(*) FROM lit.dst WHERE " + guardSQL.joined(separator: " AND "))
                #expect(count.first?[0].int64 == 1, "row \(literals[0]): the stored row does not compare equal")
                for (column, literal) in zip(map.columns, literals) {
                    let one = try await connection.rows(
                        "SELECT COUNT(*) FROM lit.dst WHERE id = \(literals[0]) AND "
                            + "\(SQLIdentifier.quoted(column.name ?? "")) <=> \(literal)")
                    #expect(one.first?[0].int64 == 1, "row \(literals[0]) column \(column.name ?? ""): \(literal)")
                }
            }
            _ = try await connection.query("FLUSH BINARY LOGS")
            let (_, copies) = try Self.rows(of: "dst", in: server.binlogDirectory + "/" + second)
            #expect(copies.count == originals.count)
            for (original, copy) in zip(originals, copies) {
                for index in original.indices where original[index] != copy[index] {
                    let column = map.columns[index].name ?? ""
                    let message = "row \(original[0]) column \(column): \(original[index]) came back as \(copy[index])"
                    Issue.record(Comment(rawValue: message))
                }
            }
            _ = try await connection.query("DROP DATABASE lit")
        }
    }

    /// The inserted rows of `lit.table` in the binlog file at `path`, with the table's map.
    static func rows(of table: String, in path: String) throws -> (TableMapEvent, [[MySQLValue]]) {
        var file = try LocalBinlogFile(path: path)
        var result: [[MySQLValue]] = []
        var found: TableMapEvent?
        while let record = try file.next() {
            guard case .rows(let rows) = record.event, let map = file.context.tableMap(for: rows),
                map.database == "lit", map.table == table
            else { continue }
            found = map
            try rows.forEachRow(table: map) { change in
                result.append((change.after?.values ?? []).map { $0 ?? .null })
            }
        }
        return (try #require(found, "no row event of lit.\(table) in \(path)"), result)
    }
}
