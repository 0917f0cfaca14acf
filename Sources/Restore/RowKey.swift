import BinlogFormat

/// A row's identity across transactions: its table and its primary key values (every column's value when the
/// binlog does not say which columns are the key, i.e. without `binlog_row_metadata=FULL`, or the table has none).
struct RowKey: Hashable, Sendable {
    var database: String
    var table: String
    var values: [MySQLValue?]

    /// The keys of the rows `event` changes (before and after images).
    static func keys(of event: RowsEvent, table: TableMapEvent) throws -> [RowKey] {
        let key = table.columns.indices.filter { table.columns[$0].isPrimaryKey }
        var keys: [RowKey] = []
        try event.forEachRow(table: table) { change in
            // An UPDATE that keeps its key names the row once (a dependent "touched 2 rows" of a one-row UPDATE).
            var before: RowKey?
            for image in [change.before, change.after] {
                guard let image else { continue }
                let values = key.isEmpty ? image.values : key.map { $0 < image.values.count ? image.values[$0] : nil }
                let rowKey = RowKey(database: table.database, table: table.table, values: values)
                if rowKey != before { keys.append(rowKey) }
                before = rowKey
            }
        }
        return keys
    }
}
