import MySQLWire

extension ServerSchema {
    /// Reads the tables of `connection`'s server from `information_schema` (read-only): columns in order,
    /// generated columns, the primary key and the first unique key of NOT NULL columns.
    ///
    /// - Parameter databases: only these databases (lower-cased), or every non-system one when empty.
    /// - Throws: ``MySQLError`` from the server.
    public static func load(from connection: MySQLConnection, databases: Set<String> = []) async throws -> ServerSchema
    {
        var filter = "TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"
        if !databases.isEmpty {
            let list = databases.sorted().map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
            filter = "LOWER(TABLE_SCHEMA) IN (\(list.joined(separator: ", ")))"
        }
        var tables: [String: TableSchemaHint] = [:]
        let columns = try await connection.rows(
            """
            SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COALESCE(GENERATION_EXPRESSION, '') <> '' \
            FROM information_schema.COLUMNS WHERE \(filter) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
            """)
        for row in columns {
            guard let database = row[0].string, let table = row[1].string, let column = row[2].string else { continue }
            let key = "\(database.lowercased()).\(table.lowercased())"
            var hint = tables[key] ?? TableSchemaHint(columns: [])
            hint.columns.append(column)
            if row[3].int64 == 1 { hint.generatedColumns.insert(column) }
            tables[key] = hint
        }
        let keys = try await connection.rows(
            """
            SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, NULLABLE \
            FROM information_schema.STATISTICS WHERE \(filter) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """)
        var indexes: [String: [(name: String, columns: [String], usable: Bool)]] = [:]
        for row in keys {
            guard let database = row[0].string, let table = row[1].string, let index = row[2].string,
                row[3].int64 == 0, let column = row[4].string
            else { continue }
            let key = "\(database.lowercased()).\(table.lowercased())"
            var list = indexes[key] ?? []
            let nullable = row[5].string == "YES"
            if let position = list.firstIndex(where: { $0.name == index }) {
                list[position].columns.append(column)
                list[position].usable = list[position].usable && !nullable
            } else {
                list.append((index, [column], !nullable))
            }
            indexes[key] = list
        }
        for (key, list) in indexes {
            guard var hint = tables[key] else { continue }
            if let primary = list.first(where: { $0.name == "PRIMARY" }) { hint.primaryKey = primary.columns }
            if let unique = list.filter({ $0.name != "PRIMARY" && $0.usable }).min(by: { $0.name < $1.name }) {
                hint.uniqueKey = unique.columns
            }
            hint.uniqueKeys = list.filter { $0.name != "PRIMARY" }.sorted { $0.name < $1.name }.map(\.columns)
            tables[key] = hint
        }
        return ServerSchema(tables: tables)
    }
}
