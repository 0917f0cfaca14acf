import BinlogFormat
import Foundation
import Testing

@testable import Checksum

@Suite struct ChecksumComparisonTests {
    static func table(_ name: String, rows: UInt64, hash: UInt64) -> TableHash {
        TableHash(name: QualifiedTable(qualified: name)!, hash: RowSetHash(value: hash, rows: rows))
    }

    @Test func equalTablesGiveNoDifference() {
        let tables = [Self.table("shop.orders", rows: 3, hash: 0xABC), Self.table("shop.users", rows: 0, hash: 0)]
        #expect(
            ChecksumComparison.compare(actual: tables, expected: tables.reversed(), selection: TableSelection()).isEmpty
        )
    }

    @Test func namesEachDifferingMissingAndExtraTableInNameOrder() {
        let expected = [
            Self.table("shop.users", rows: 2, hash: 7),
            Self.table("shop.orders", rows: 3, hash: 0xABC),
            Self.table("shop.gone", rows: 1, hash: 9),
            Self.table("crm.notes", rows: 4, hash: 4),
        ]
        let actual = [
            Self.table("crm.notes", rows: 4, hash: 4),
            Self.table("shop.orders", rows: 3, hash: 0xABD),  // same count, another row
            Self.table("shop.users", rows: 3, hash: 7),  // same hash, another count
            Self.table("shop.new", rows: 0, hash: 0),
        ]
        let differences = ChecksumComparison.compare(actual: actual, expected: expected, selection: TableSelection())
        #expect(differences.map(\.table.description) == ["shop.gone", "shop.new", "shop.orders", "shop.users"])
        #expect(differences.map(\.kind) == [.missing, .extra, .differs, .differs])
        #expect(differences[0].actual == nil && differences[0].expected == RowSetHash(value: 9, rows: 1))
        #expect(differences[1].expected == nil && differences[1].actual == RowSetHash(value: 0, rows: 0))
        #expect(differences[2].expected?.value == 0xABC && differences[2].actual?.value == 0xABD)
    }

    @Test func expectedTablesOutsideTheSelectionAreNotMissing() {
        let expected = [
            Self.table("shop.orders", rows: 3, hash: 1), Self.table("crm.notes", rows: 4, hash: 4),
            Self.table("mysql.user", rows: 5, hash: 5),
        ]
        let actual = [Self.table("shop.orders", rows: 3, hash: 1)]
        #expect(
            ChecksumComparison.compare(
                actual: actual,
                expected: expected,
                selection: TableSelection(databases: ["shop"])
            ).isEmpty
        )
        let everything = ChecksumComparison.compare(actual: actual, expected: expected, selection: TableSelection())
        #expect(everything.map(\.table.description) == ["crm.notes"])  // system databases are out by default
        let oneTable = ChecksumComparison.compare(
            actual: [],
            expected: expected,
            selection: TableSelection(tables: [QualifiedTable(qualified: "shop.orders")!])
        )
        #expect(oneTable.map(\.kind) == [.missing])
    }
}

@Suite struct ExpectedChecksumsTests {
    @Test func readsBackItsOwnJSONOutput() throws {
        let tables = [
            TableHash(
                name: QualifiedTable(database: "shop", table: "orders"),
                hash: RowSetHash(value: 0xFEC5_4B27_B196_F731, rows: 2)
            ),
            TableHash(name: QualifiedTable(database: "a.b", table: "c"), hash: RowSetHash(value: 1, rows: 1)),
        ]
        let differences = [
            ChecksumDifference(kind: .extra, table: tables[0].name, actual: tables[0].hash, expected: nil)
        ]
        let json = try ChecksumReport(server: "db1:3306", tables: tables, expectation: ("old.json", differences)).json()
        #expect(try ExpectedChecksums.parse(Data(json.utf8), name: "out.json") == tables)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["hash_algorithm", "server", "tables", "expected"])
        let expected = try #require(object["expected"] as? [String: Any])
        #expect(expected["equal_tables"] as? Int == 1)
        let difference = try #require((expected["differences"] as? [[String: Any]])?.first)
        #expect(Set(difference.keys) == ["status", "database", "table", "rows", "hash"])  // no expected_* for extra
        #expect(difference["hash"] as? String == "fec54b27b196f731")
    }

    @Test func readsTheTablesOfABackupManifest() throws {
        let manifest = """
            {"format": 1, "id": "20261130T090000Z", "state": "complete", "hash_algorithm": "rewind-row-xxh64-sum-v1",
             "tables": [{"database": "shop", "table": "orders", "engine": "InnoDB", "rows": 2,
                         "hash": "fec54b27b196f731", "chunk_key": ["id"], "columns": [],
                         "chunks": [{"file": "data/shop/orders.00001.sql.zst", "rows": 2, "bytes": 90,
                                     "hash": "fec54b27b196f731", "max_statement_bytes": 80}]}],
             "databases": [], "load_order": []}
            """
        let tables = try ExpectedChecksums.parse(Data(manifest.utf8), name: "manifest.json")
        #expect(
            tables == [
                TableHash(
                    name: QualifiedTable(database: "shop", table: "orders"),
                    hash: RowSetHash(value: 0xFEC5_4B27_B196_F731, rows: 2)
                )
            ]
        )
    }

    @Test func refusesWhatItCannotCompare() {
        let cases: [(String, String)] = [
            ("not json", "neither"),
            (#"{"tables": [{"database": "a", "table": "b", "rows": 1}]}"#, "tables[0].hash"),
            (#"{"state": "incomplete", "tables": []}"#, "incomplete backup"),
            (#"{"hash_algorithm": "md5", "tables": []}"#, "md5"),
            (#"{"tables": [{"database": "a", "table": "b", "rows": 1, "hash": "xyz"}]}"#, "a.b"),
            (
                #"{"tables": [{"database": "a", "table": "b", "rows": 1, "hash": "0000000000000001"},"#
                    + #"{"database": "a", "table": "b", "rows": 1, "hash": "0000000000000001"}]}"#, "twice"
            ),
        ]
        for (text, words) in cases {
            let error = #expect(throws: ChecksumError.self) {
                _ = try ExpectedChecksums.parse(Data(text.utf8), name: "f.json")
            }
            #expect(error?.code == .badExpectation)
            #expect(
                error?.message.contains("f.json") == true && error?.message.contains(words) == true,
                "\(String(describing: error))"
            )
        }
        #expect(throws: ChecksumError.self) { _ = try ExpectedChecksums.read(path: "/nonexistent/rewind/x.json") }
    }

    @Test func tableNamesAndSelections() {
        #expect(QualifiedTable(qualified: "shop.orders") == QualifiedTable(database: "shop", table: "orders"))
        #expect(QualifiedTable(qualified: "shop.a.b")?.table == "a.b")
        #expect(
            QualifiedTable(qualified: "shop") == nil && QualifiedTable(qualified: ".t") == nil
                && QualifiedTable(qualified: "d.") == nil
        )
        let everything = TableSelection()
        #expect(everything.includes(QualifiedTable(database: "shop", table: "t")))
        #expect(!everything.includes(QualifiedTable(database: "MySQL", table: "user")))
        let some = TableSelection(databases: ["mysql"], tables: [QualifiedTable(database: "crm", table: "notes")])
        #expect(some.includes(QualifiedTable(database: "mysql", table: "user")))
        #expect(some.includes(QualifiedTable(database: "crm", table: "notes")))
        #expect(!some.includes(QualifiedTable(database: "crm", table: "other")))
    }
}
