import BinlogFormat
import NIOCore
import RewindTestSupport
import Testing

/// Decodes the rows of a corpus binlog with the events layer, for the value assertions of the row tests.
enum FixtureRowValues {
    struct Row {
        var table: TableMapEvent
        var change: RowChange
    }

    /// Every row change of `fixture`, in order (payload events included when the reader expands them).
    static func rows(_ fixture: String) throws -> [Row] {
        let result = try FixtureDecoding.decode(fixture: fixture)
        if let error = result.error { throw error }
        var tables: [UInt64: TableMapEvent] = [:]
        var rows: [Row] = []
        for record in result.records {
            switch record.event {
            case .tableMap(let table):
                tables[table.tableID] = table
            case .rows(let event):
                guard let table = tables[event.tableID] else { continue }
                try event.forEachRow(table: table) { rows.append(Row(table: table, change: $0)) }
            default:
                continue
            }
        }
        return rows
    }

    /// Whether the corpus is there; records a failure under CI when it is not.
    static func corpusAvailable() -> Bool {
        if Fixtures.isAvailable { return true }
        if Fixtures.isCI { Issue.record("fixture corpus missing at \(Fixtures.root.path)") }
        return false
    }
}
