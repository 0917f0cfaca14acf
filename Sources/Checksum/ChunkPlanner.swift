import MySQLWire
import SQLRendering

/// Cuts tables into key ranges of about `chunkBytes` each (backups dump them, checksums hash them in parallel).
///
/// The key is the primary key, else a unique key whose columns are all NOT NULL and stored (composite and
/// non-integer keys too); a table without one is read as one stream. Boundaries come from a walk over the key:
/// `SELECT key … WHERE key > previous ORDER BY key LIMIT 1 OFFSET rowsPerChunk - 1`, each step reading one chunk's
/// worth of index entries. Ranges `(b[i-1], b[i]]` cover every row whatever the boundaries are, so the walk needs no
/// snapshot of its own.
package struct ChunkPlanner: Sendable {
    package let control: MySQLConnection
    package let chunkBytes: UInt64

    package init(control: MySQLConnection, chunkBytes: UInt64) {
        self.control = control
        self.chunkBytes = chunkBytes
    }

    /// The chunk key's columns (in key order), empty when the table has none.
    ///
    /// - Throws: ``MySQLError`` from the server.
    package func chunkKey(database: String, table: String, columns: [TableColumn]) async throws -> [TableColumn] {
        let rows = try await self.control.rows(
            """
            SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULLABLE, SUB_PART FROM information_schema.STATISTICS \
            WHERE TABLE_SCHEMA = \(TextValueLiteral.quoted(database)) AND TABLE_NAME = \(TextValueLiteral.quoted(table)) \
            ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX
            """
        )
        var indexes: [(name: String, columns: [String], usable: Bool)] = []
        for row in rows {
            let name = row[0].string ?? ""
            let usable = row[2].int64 == 0 && (row[3].string ?? "") == "" && row[4].isNull
            if indexes.last?.name == name {
                indexes[indexes.count - 1].columns.append(row[1].string ?? "")
                indexes[indexes.count - 1].usable = indexes[indexes.count - 1].usable && usable
            } else {
                indexes.append((name, [row[1].string ?? ""], usable))
            }
        }
        for index in indexes where index.usable {
            let keyColumns = index.columns.compactMap { name in columns.first { $0.name == name } }
            if keyColumns.count == index.columns.count { return keyColumns }
        }
        return []
    }

    /// The `WHERE` conditions of the table's chunks, in key order (one `nil` for a single stream).
    ///
    /// - Throws: ``MySQLError`` from the server.
    package func ranges(
        database: String,
        table: String,
        key: [TableColumn],
        dataLength: UInt64,
        estimatedRows: UInt64
    ) async throws -> [String?] {
        guard !key.isEmpty, dataLength > self.chunkBytes, estimatedRows > 0 else { return [nil] }
        let averageRow = max(1, dataLength / estimatedRows)
        let rowsPerChunk = max(1000, self.chunkBytes / averageRow)
        let keyList = key.map(\.selectExpression).joined(separator: ", ")
        let order = key.map { SQLIdentifier.quoted($0.name) }.joined(separator: ", ")
        let qualified = SQLIdentifier.quoted(database) + "." + SQLIdentifier.quoted(table)
        var boundaries: [[[UInt8]?]] = []
        while true {
            var sql = "SELECT \(keyList) FROM \(qualified)"
            if let last = boundaries.last { sql += " WHERE " + Self.condition(key, last, greater: true) }
            sql += " ORDER BY \(order) LIMIT 1 OFFSET \(rowsPerChunk - 1)"
            guard let row = try await self.control.rows(sql).first else { break }
            boundaries.append((0..<key.count).map { row[$0].byteArray })
        }
        guard !boundaries.isEmpty else { return [nil] }
        var conditions: [String?] = []
        for (index, boundary) in boundaries.enumerated() {
            var condition = Self.condition(key, boundary, greater: false)
            if index > 0 { condition = Self.condition(key, boundaries[index - 1], greater: true) + " AND " + condition }
            conditions.append(condition)
        }
        conditions.append(Self.condition(key, boundaries[boundaries.count - 1], greater: true))
        return conditions
    }

    /// `(k1, k2) > (v1, v2)` (or `<=`) spelled out as `k1 > v1 OR (k1 = v1 AND k2 > v2)`, which every MySQL and
    /// MariaDB version turns into index ranges.
    package static func condition(_ key: [TableColumn], _ values: [[UInt8]?], greater: Bool) -> String {
        let literals = zip(key, values).map { column, value in TextValueLiteral.string(value, kind: column.kind) }
        let names = key.map { SQLIdentifier.quoted($0.name) }
        func build(_ index: Int) -> String {
            let last = index == names.count - 1
            let comparison = greater ? ">" : (last ? "<=" : "<")
            let strict = "\(names[index]) \(comparison) \(literals[index])"
            if last { return strict }
            return "(\(strict) OR (\(names[index]) = \(literals[index]) AND \(build(index + 1))))"
        }
        return build(0)
    }
}
