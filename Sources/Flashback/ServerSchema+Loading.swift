import MySQLWire

extension ServerSchema {
    /// Reads the tables of `connection`'s server from `information_schema` (read-only): columns in order,
    /// generated columns, the primary key and the first unique key of NOT NULL columns, triggers, and the foreign
    /// keys that cascade from a table on delete.
    ///
    /// - Parameter databases: only these databases (lower-cased), or every non-system one when empty.
    /// - Throws: ``MySQLError`` from the server.
    public static func load(from connection: MySQLConnection, databases: Set<String> = []) async throws -> ServerSchema
    {
        func schemaFilter(_ column: String) -> String {
            guard !databases.isEmpty else {
                return "\(column) NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"
            }
            let list = databases.sorted().map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
            return "LOWER(\(column)) IN (\(list.joined(separator: ", ")))"
        }
        let filter = schemaFilter("TABLE_SCHEMA")
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
        let triggers = try await connection.rows(
            """
            SELECT EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION \
            FROM information_schema.TRIGGERS WHERE \(schemaFilter("EVENT_OBJECT_SCHEMA")) ORDER BY TRIGGER_NAME
            """)
        for row in triggers {
            guard let database = row[0].string, let table = row[1].string, let name = row[2].string,
                let timing = row[3].string, let event = row[4].string
            else { continue }
            tables["\(database.lowercased()).\(table.lowercased())"]?.sideEffects.append(
                .trigger(name: name, timing: timing.uppercased(), event: event.uppercased()))
        }
        // The referencing table may be in any database.
        let cascades = try await connection.rows(
            """
            SELECT UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME, CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, \
            DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS \
            WHERE DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') AND \(schemaFilter("UNIQUE_CONSTRAINT_SCHEMA")) \
            ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME
            """)
        for row in cascades {
            guard let database = row[0].string, let table = row[1].string, let childDatabase = row[2].string,
                let child = row[3].string, let name = row[4].string, let rule = row[5].string
            else { continue }
            tables["\(database.lowercased()).\(table.lowercased())"]?.sideEffects.append(
                .cascade(constraint: name, child: "\(childDatabase).\(child)", onDelete: rule.uppercased()))
        }
        // And those that act on update, with the referenced columns: only an UPDATE that changes them cascades.
        let updateCascades = try await connection.rows(
            """
            SELECT r.UNIQUE_CONSTRAINT_SCHEMA, r.REFERENCED_TABLE_NAME, r.CONSTRAINT_SCHEMA, r.TABLE_NAME, \
            r.CONSTRAINT_NAME, r.UPDATE_RULE, k.REFERENCED_COLUMN_NAME \
            FROM information_schema.REFERENTIAL_CONSTRAINTS r JOIN information_schema.KEY_COLUMN_USAGE k \
            ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.TABLE_NAME = r.TABLE_NAME \
            AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND k.REFERENCED_COLUMN_NAME IS NOT NULL \
            WHERE r.UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') \
            AND \(schemaFilter("r.UNIQUE_CONSTRAINT_SCHEMA")) \
            ORDER BY r.CONSTRAINT_SCHEMA, r.TABLE_NAME, r.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """)
        var onUpdate: [(parent: String, constraint: String, child: String, rule: String, columns: [String])] = []
        for row in updateCascades {
            guard let database = row[0].string, let table = row[1].string, let childDatabase = row[2].string,
                let child = row[3].string, let name = row[4].string, let rule = row[5].string,
                let column = row[6].string
            else { continue }
            let parent = "\(database.lowercased()).\(table.lowercased())"
            let childName = "\(childDatabase).\(child)"
            if let last = onUpdate.indices.last, onUpdate[last].parent == parent, onUpdate[last].constraint == name,
                onUpdate[last].child == childName
            {
                onUpdate[last].columns.append(column)
            } else {
                onUpdate.append((parent, name, childName, rule.uppercased(), [column]))
            }
        }
        for entry in onUpdate {
            tables[entry.parent]?.sideEffects.append(
                .updateCascade(
                    constraint: entry.constraint, child: entry.child, onUpdate: entry.rule, columns: entry.columns))
        }
        return ServerSchema(tables: tables)
    }
}
