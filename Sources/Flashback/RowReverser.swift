import BinlogFormat
import SQLRendering

/// Turns one row change of a transaction into the guarded statement that undoes it (pure: no I/O).
///
///     original   undo (default: guard on the key and every column the transaction left)
///     INSERT     DELETE FROM t WHERE key = after AND c <=> after … [LIMIT 1]
///     DELETE     INSERT INTO t (c…) SELECT before… FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM t WHERE key = before)
///     UPDATE     UPDATE t SET c = before … WHERE key = after AND c <=> after … [LIMIT 1]
///
/// With `minimal`, an UPDATE's undo sets and guards only the columns the transaction changed. Generated
/// columns are never written. A table without a key is matched on every column with `LIMIT 1`, and its
/// re-inserted rows have no guard (nothing tells two equal rows apart).
struct RowReverser: Sendable {
    var minimal: Bool
    /// Whether statements carry their row's key text and lookup query (what `--apply` reports conflicts with);
    /// a script does not need them.
    var conflictContext = true

    /// - Throws: ``FlashbackError`` `.refused` when an image lacks a column the undo needs
    ///   (`binlog_row_image=MINIMAL` or `NOBLOB`); ``SQLRenderingError`` for a value with no literal.
    func undo(
        _ kind: RowsEvent.Kind, change: RowChange, table: UndoTable, file: String, position: UInt64
    ) throws -> UndoStatement {
        switch kind {
        case .insert:
            let after = try Self.complete(change.after, table: table, image: "after", file: file, position: position)
            return try self.deleteStatement(removing: after, table: table)
        case .delete:
            let before = try Self.complete(change.before, table: table, image: "before", file: file, position: position)
            return try self.insertStatement(restoring: before, table: table)
        case .update:
            let before = try Self.complete(change.before, table: table, image: "before", file: file, position: position)
            let after = try Self.complete(change.after, table: table, image: "after", file: file, position: position)
            return try self.updateStatement(from: after, back: before, table: table)
        }
    }

    /// The image's values, all present.
    static func complete(
        _ image: RowImage?, table: UndoTable, image name: String, file: String, position: UInt64
    ) throws -> [MySQLValue] {
        guard let image else {
            throw FlashbackError.refused("a row event of \(table.displayName) has no \(name) image", file: file, position: position)
        }
        var values: [MySQLValue] = []
        values.reserveCapacity(table.columns.count)
        for index in table.columns.indices {
            guard index < image.values.count, let value = image.values[index] else {
                throw FlashbackError.refused(
                    "the \(name) image of a row of \(table.displayName) lacks column `\(table.names[index])` "
                        + "(binlog_row_image=MINIMAL or NOBLOB): the undo cannot restore or check it; "
                        + "use `rewind restore --before` instead, and binlog_row_image=FULL for the binlogs to come",
                    file: file, position: position)
            }
            values.append(value)
        }
        return values
    }

    private func deleteStatement(removing after: [MySQLValue], table: UndoTable) throws -> UndoStatement {
        var sql: [UInt8] = Array("DELETE FROM ".utf8)
        sql.append(contentsOf: table.qualifiedName)
        sql.append(contentsOf: " WHERE ".utf8)
        try Self.appendGuard(table: table, values: after, guarded: table.writable, to: &sql)
        if table.keySource == .allColumns { sql.append(contentsOf: " LIMIT 1".utf8) }
        return UndoStatement(
            kind: .delete, sql: sql, table: table.displayName, key: try self.keyText(table: table, values: after),
            lookup: try self.lookup(table: table, values: after))
    }

    private func insertStatement(restoring before: [MySQLValue], table: UndoTable) throws -> UndoStatement {
        var sql: [UInt8] = Array("INSERT INTO ".utf8)
        sql.append(contentsOf: table.qualifiedName)
        sql.append(contentsOf: " (".utf8)
        for (position, index) in table.writable.enumerated() {
            if position > 0 { sql.append(contentsOf: Self.comma) }
            sql.append(contentsOf: table.quotedNames[index])
        }
        if table.keySource == .allColumns {
            sql.append(contentsOf: ") VALUES (".utf8)
        } else {
            sql.append(contentsOf: ") SELECT ".utf8)
        }
        for (position, index) in table.writable.enumerated() {
            if position > 0 { sql.append(contentsOf: Self.comma) }
            try Self.literal(before[index], table: table, index: index, to: &sql)
        }
        if table.keySource == .allColumns {
            sql.append(UInt8(ascii: ")"))
        } else {
            sql.append(contentsOf: " FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ".utf8)
            sql.append(contentsOf: table.qualifiedName)
            sql.append(contentsOf: " WHERE ".utf8)
            try Self.appendGuard(table: table, values: before, guarded: [], to: &sql)
            sql.append(UInt8(ascii: ")"))
        }
        return UndoStatement(
            kind: .insert, sql: sql, table: table.displayName, key: try self.keyText(table: table, values: before),
            lookup: try self.lookup(table: table, values: before))
    }

    private func updateStatement(from after: [MySQLValue], back before: [MySQLValue], table: UndoTable) throws
        -> UndoStatement
    {
        var columns = table.writable
        if self.minimal {
            columns = table.writable.filter { before[$0] != after[$0] }
            if columns.isEmpty { columns = table.writable }
        }
        var sql: [UInt8] = Array("UPDATE ".utf8)
        sql.append(contentsOf: table.qualifiedName)
        sql.append(contentsOf: " SET ".utf8)
        for (position, index) in columns.enumerated() {
            if position > 0 { sql.append(contentsOf: Self.comma) }
            sql.append(contentsOf: table.quotedNames[index])
            sql.append(contentsOf: Self.equals)
            try Self.literal(before[index], table: table, index: index, to: &sql)
        }
        sql.append(contentsOf: " WHERE ".utf8)
        // A table without a key is found by every column, also with `minimal`.
        let guarded = table.keySource == .allColumns ? table.writable : columns
        try Self.appendGuard(table: table, values: after, guarded: guarded, to: &sql)
        if table.keySource == .allColumns { sql.append(contentsOf: " LIMIT 1".utf8) }
        return UndoStatement(
            kind: .update, sql: sql, table: table.displayName, key: try self.keyText(table: table, values: after),
            lookup: try self.lookup(table: table, values: after))
    }

    private static let equals: [UInt8] = Array(" = ".utf8)
    private static let nullSafeEquals: [UInt8] = Array(" <=> ".utf8)
    private static let and: [UInt8] = Array(" AND ".utf8)
    private static let comma: [UInt8] = Array(", ".utf8)

    /// The literal of column `index`, rendered with the column's light descriptor (no reference counting per
    /// value); a rendering error gets the column's name.
    @inline(__always)
    static func literal(_ value: MySQLValue, table: UndoTable, index: Int, to sql: inout [UInt8]) throws {
        do {
            try SQLLiteral.append(value, column: table.renderColumns[index], to: &sql)
        } catch var error as SQLRenderingError {
            error.column = "`\(table.names[index])` of \(table.displayName)"
            throw error
        }
    }

    /// `key = v AND … AND c <=> v …`: the key columns, then the `guarded` columns that are not in the key.
    static func appendGuard(table: UndoTable, values: [MySQLValue], guarded: [Int], to sql: inout [UInt8]) throws {
        var first = true
        for index in table.key {
            if !first { sql.append(contentsOf: Self.and) }
            first = false
            sql.append(contentsOf: table.quotedNames[index])
            sql.append(contentsOf: values[index] == .null ? Self.nullSafeEquals : Self.equals)
            try Self.literal(values[index], table: table, index: index, to: &sql)
        }
        for index in guarded where !table.key.contains(index) {
            if !first { sql.append(contentsOf: Self.and) }
            first = false
            sql.append(contentsOf: table.quotedNames[index])
            sql.append(contentsOf: Self.nullSafeEquals)
            try Self.literal(values[index], table: table, index: index, to: &sql)
        }
        if first { sql.append(contentsOf: "1 = 1".utf8) }
    }

    func keyText(table: UndoTable, values: [MySQLValue]) throws -> String {
        guard self.conflictContext else { return "" }
        guard !table.key.isEmpty else { return "(no key: matched on all columns)" }
        var text: [UInt8] = []
        for (position, index) in table.key.enumerated() {
            if position > 0 { text.append(contentsOf: ", ".utf8) }
            text.append(contentsOf: table.quotedNames[index])
            text.append(UInt8(ascii: "="))
            try Self.literal(values[index], table: table, index: index, to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }

    func lookup(table: UndoTable, values: [MySQLValue]) throws -> [UInt8] {
        guard self.conflictContext, !table.key.isEmpty else { return [] }
        var sql: [UInt8] = Array("SELECT * FROM ".utf8)
        sql.append(contentsOf: table.qualifiedName)
        sql.append(contentsOf: " WHERE ".utf8)
        try Self.appendGuard(table: table, values: values, guarded: [], to: &sql)
        return sql
    }
}
