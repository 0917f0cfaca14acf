import BinlogFormat

/// A row's identity across transactions: its table and its primary key values (every column's value when the
/// binlog does not say which columns are the key, i.e. without `binlog_row_metadata=FULL`, or the table has none),
/// or the values of one of its other unique keys (`key` names it; empty for the row's identity).
struct RowKey: Hashable, Sendable {
    var database: String
    var table: String
    var key: String = ""
    var values: [MySQLValue?]

    /// The keys of the rows `event` changes (before and after images).
    static func keys(of event: RowsEvent, table: TableMapEvent) throws -> [RowKey] {
        try self.rows(of: event, table: table).flatMap { $0 }
    }

    /// The keys of each row `event` changes, one list per row: its identity before and after (an UPDATE that keeps
    /// it names it once: the dependents message said "2 rows" for a one-row UPDATE), and the values of each key of
    /// `uniqueKeys` (column indexes) before and after, where none of them is NULL (NULLs never clash).
    static func rows(
        of event: RowsEvent, table: TableMapEvent, uniqueKeys: [(name: String, columns: [Int])] = []
    ) throws -> [[RowKey]] {
        let key = table.columns.indices.filter { table.columns[$0].isPrimaryKey }
        var rows: [[RowKey]] = []
        try event.forEachRow(table: table) { change in
            var keys: [RowKey] = []
            func add(_ rowKey: RowKey) {
                if !keys.contains(rowKey) { keys.append(rowKey) }
            }
            for image in [change.before, change.after] {
                guard let image else { continue }
                func value(_ index: Int) -> MySQLValue? { index < image.values.count ? image.values[index] : nil }
                add(
                    RowKey(
                        database: table.database, table: table.table,
                        values: key.isEmpty ? image.values : key.map(value)))
                for unique in uniqueKeys {
                    let values = unique.columns.map(value)
                    guard values.allSatisfy({ $0 != nil && $0 != .null }) else { continue }
                    add(RowKey(database: table.database, table: table.table, key: unique.name, values: values))
                }
            }
            rows.append(keys)
        }
        return rows
    }
}
