import MySQLWire
import NIOCore
import SQLRendering

/// Reads a table's columns and computes its ``RowSetHash`` on a server, streaming (memory flat whatever the size).
///
/// The session must be prepared with ``sessionSetup`` first, so that values arrive as the hash defines them.
package enum TableChecksum {
    /// Sent once per connection before reading rows to hash or dump: values in their column's charset, TIMESTAMP
    /// in UTC.
    package static let sessionSetup = "SET NAMES utf8mb4, character_set_results = NULL, time_zone = '+00:00'"

    /// The table's stored columns in order (generated columns left out; invisible ones kept).
    ///
    /// - Throws: ``MySQLError`` from the server.
    package static func columns(
        of table: String,
        in database: String,
        on connection: MySQLConnection
    ) async throws -> [TableColumn] {
        let rows = try await connection.rows(
            """
            SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS \
            WHERE TABLE_SCHEMA = \(TextValueLiteral.quoted(database)) AND TABLE_NAME = \(TextValueLiteral.quoted(table)) \
            AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION
            """
        )
        return rows.map { row in
            TableColumn(
                name: row[0].string ?? "",
                kind: SQLValueKind(dataType: row[1].string ?? "", characterSet: row[2].string)
            )
        }
    }

    /// `SELECT <columns> FROM db.table`, with an optional `WHERE` condition.
    package static func selectStatement(
        columns: [TableColumn],
        database: String,
        table: String,
        condition: String? = nil
    ) -> String {
        let list = columns.map(\.selectExpression).joined(separator: ", ")
        var sql = "SELECT \(list) FROM \(SQLIdentifier.quoted(database)).\(SQLIdentifier.quoted(table))"
        if let condition { sql += " WHERE " + condition }
        return sql
    }

    /// The hash of a table's rows (those matching `condition`, a chunk's key range, when given). Sends ``sessionSetup`` first, so the connection may have been used for
    /// anything before.
    ///
    /// - Throws: ``MySQLError`` from the server (e.g. the table does not exist).
    package static func compute(
        table: String,
        database: String,
        columns: [TableColumn],
        condition: String? = nil,
        on connection: MySQLConnection
    ) async throws -> RowSetHash {
        _ = try await connection.query(self.sessionSetup)
        var hasher = RowHasher(kinds: columns.map(\.kind))
        var total = RowSetHash()
        let sql = self.selectStatement(columns: columns, database: database, table: table, condition: condition)
        return try await connection.withRowStream(sql) { stream in
            while let batch = try await stream.next() {
                for row in batch { total.add(rowHash: try hasher.hash(row)) }
            }
            return total
        }
    }
}

extension RowHasher {
    /// The hash of a row as the server sent it, read in place.
    package mutating func hash(_ row: MySQLRowView) throws -> UInt64 {
        self.begin()
        try row.forEachValue { index, value in self.append(value, at: index) }
        return self.finish()
    }
}
