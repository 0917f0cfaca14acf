import BinlogFormat

extension SchemaTracker {
    /// `map` with the column names this schema knows for its table, when the binlog did not name them
    /// (`binlog_row_metadata=MINIMAL`) and the column count matches.
    public func naming(_ map: TableMapEvent) -> TableMapEvent {
        guard !map.hasColumnNames,
            let names = self.columnNames(
                of: QualifiedTable(database: map.database, table: map.table),
                count: map.columns.count
            )
        else { return map }
        var named = map
        for index in named.columns.indices { named.columns[index].name = names[index] }
        return named
    }

    /// `context` with every table map named as ``naming(_:)`` does (for printing rows with column names).
    public func naming(_ context: BinlogDecodingContext) -> BinlogDecodingContext {
        var context = context
        for (id, map) in context.tableMaps where !map.hasColumnNames {
            context.tableMaps[id] = self.naming(map)
        }
        return context
    }

    /// Follows the DDL of one event of a stream (a Query event; others change nothing).
    public mutating func follow(_ event: BinlogEvent) {
        guard case .query(let query) = event, !(query.isBegin || query.isCommit || query.isRollback) else { return }
        self.apply(statement: query.query, defaultDatabase: query.databaseName)
    }
}
