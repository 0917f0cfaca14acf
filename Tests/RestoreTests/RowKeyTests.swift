import BinlogFormat
import RewindTestSupport
import Testing

@testable import Restore

/// The keys of the rows a row event changes, which `--skip` compares to find dependents: an UPDATE that keeps a row's
/// key names that row once (the dependents message said "2 rows" for a one-row UPDATE), one that changes it names both.
@Suite struct RowKeyTests {
    static func keys(primaryKey: Bool, _ pairs: [(before: Int32, after: Int32)]) throws -> [RowKey] {
        var file = BinlogFileBuilder(flavor: .mariadb)
        file.tableMap(id: 1, "db", "t", primaryKey: primaryKey)
        file.updateRows(id: 1, pairs)
        let decoded = FixtureDecoding.decode(bytes: file.bytes, keepContexts: true)
        if let error = decoded.error { throw error }
        let record = try #require(decoded.records.last)
        guard case .rows(let rows) = record.event else {
            Issue.record("not a row event: \(record.event)")
            return []
        }
        let map = try #require(decoded.contexts.last?.tableMap(for: rows))
        return try RowKey.keys(of: rows, table: map)
    }

    @Test func anUpdateThatKeepsTheKeyNamesTheRowOnce() throws {
        #expect(try Self.keys(primaryKey: true, [(5, 5), (6, 6)]).count == 2)
        #expect(try Self.keys(primaryKey: true, [(5, 7)]).count == 2, "a changed key: the row before and after")
        #expect(try Self.keys(primaryKey: false, [(5, 5)]).count == 1)
    }
}
