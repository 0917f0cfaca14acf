import MySQLWire

/// What the target's schema says about conflicts between row changes, read from `information_schema`: the columns
/// of every unique key (the primary key and the others) by position, and the tables in a foreign-key relation.
///
/// The binlog alone cannot say it: its table maps name the primary key only with `binlog_row_metadata=FULL`, never
/// the other unique keys, and never foreign keys. Read once after the backup is loaded and again after every
/// statement that may change a schema (the parallel apply is drained then, so the target's schema is the one the
/// next transactions meet).
struct TargetKeys: Sendable {
    struct Table: Sendable {
        /// Each unique key's column positions (0-based, as in a row image).
        var uniqueKeys: [[Int]]
        /// Whether the table is in a foreign-key relation (as child or parent).
        var inForeignKey: Bool
    }

    var tables: [String: Table] = [:]

    func table(database: String, table: String) -> Table? { self.tables["\(database).\(table)"] }

    /// Reads the keys of the tables in `databases` (as named on the target).
    static func read(databases: Set<String>, on connection: MySQLConnection, server: String) async throws -> TargetKeys
    {
        var keys = TargetKeys()
        guard !databases.isEmpty else { return keys }
        let list = databases.sorted().map { RestorePreflight.literal($0) }.joined(separator: ", ")
        let unique = try await RestorePreflight.query(
            connection, server: server,
            """
            SELECT s.TABLE_SCHEMA, s.TABLE_NAME, s.INDEX_NAME, c.ORDINAL_POSITION FROM information_schema.STATISTICS s \
            JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME \
            AND c.COLUMN_NAME = s.COLUMN_NAME WHERE s.NON_UNIQUE = 0 AND s.TABLE_SCHEMA IN (\(list)) \
            ORDER BY s.TABLE_SCHEMA, s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX
            """)
        var current: (table: String, index: String)?
        for row in unique {
            guard let database = row[0].string, let name = row[1].string, let index = row[2].string,
                let position = row[3].int64
            else { continue }
            let table = "\(database).\(name)"
            var entry = keys.tables[table] ?? Table(uniqueKeys: [], inForeignKey: false)
            if current?.table != table || current?.index != index { entry.uniqueKeys.append([]) }
            entry.uniqueKeys[entry.uniqueKeys.count - 1].append(Int(position) - 1)
            keys.tables[table] = entry
            current = (table, index)
        }
        let foreign = try await RestorePreflight.query(
            connection, server: server,
            """
            SELECT CONSTRAINT_SCHEMA, TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME \
            FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN (\(list)) \
            OR UNIQUE_CONSTRAINT_SCHEMA IN (\(list))
            """)
        for row in foreign {
            for (database, name) in [(row[0].string, row[1].string), (row[2].string, row[3].string)] {
                guard let database, let name else { continue }
                keys.tables["\(database).\(name)", default: Table(uniqueKeys: [], inForeignKey: false)].inForeignKey =
                    true
            }
        }
        return keys
    }
}
