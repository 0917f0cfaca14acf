import BinlogFormat
import SQLRendering

/// Turns one row change of a transaction into the guarded statement that undoes it (pure: no I/O).
///
///     original   undo (default: guard on the key and every column the transaction left)
///     INSERT     DELETE FROM t WHERE key = after AND c <=> after … [LIMIT 1]
///     DELETE     INSERT INTO t (c…) SELECT before… FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM t WHERE key = before)
///                [AND NOT EXISTS (SELECT 1 FROM t WHERE unique_key = before) for each other unique key]
///     UPDATE     UPDATE t SET c = before … WHERE key = after AND c <=> after … [LIMIT 1]
///
/// With `minimal`, an UPDATE's undo sets and guards only the columns the transaction changed. Generated
/// columns are never written. A table without a key is matched on every column with `LIMIT 1`, and its
/// re-inserted rows have no guard (nothing tells two equal rows apart). The images come as
/// ``RowLiterals`` (each value rendered once); the text around them is the table's ``UndoStatementTemplate``,
/// worked out once.
struct RowReverser: Sendable {
    var minimal: Bool
    /// Whether statements carry their row's key text and lookup query (what `--apply` reports conflicts with);
    /// a script does not need them.
    var conflictContext = true

    /// Appends the statement that undoes a row change of `kind` (no `;`).
    func appendUndo(
        _ kind: RowsEvent.Kind,
        before: RowLiterals,
        after: RowLiterals,
        table: UndoTable,
        to sql: inout [UInt8]
    ) {
        switch kind {
        case .insert:
            table.templates.delete.append(before: before, after: after, to: &sql)
        case .delete:
            table.templates.insert.append(before: before, after: after, to: &sql)
        case .update:
            guard self.minimal else {
                table.templates.update.append(before: before, after: after, to: &sql)
                return
            }
            var columns = table.writable.filter { !before.hasSameValue($0, as: after) }
            if columns.isEmpty { columns = table.writable }
            var writer = UndoStatementText(before: before, after: after, sql: sql)
            sql = []
            Self.compose(.update, table: table, columns: columns, into: &writer)
            sql = writer.sql
        }
    }

    /// The statement that undoes a row change of `kind`, with the row's key and lookup query (for `--apply`).
    func undo(_ kind: RowsEvent.Kind, before: RowLiterals, after: RowLiterals, table: UndoTable) -> UndoStatement {
        var sql: [UInt8] = []
        self.appendUndo(kind, before: before, after: after, table: table, to: &sql)
        let left = kind == .delete ? before : after
        let undoKind: UndoStatement.Kind
        switch kind {
        case .insert: undoKind = .delete
        case .delete: undoKind = .insert
        case .update: undoKind = .update
        }
        return UndoStatement(
            kind: undoKind,
            sql: sql,
            table: table.displayName,
            key: self.keyText(table: table, values: left),
            lookup: self.lookup(table: table, values: left)
        )
    }

    /// Writes the undo of a row change of `kind` (for an UPDATE, setting and guarding `columns`) into `writer`:
    /// the one place the statements' shape is decided, for templates and for text.
    static func compose<Writer: UndoSQLWriter>(
        _ kind: RowsEvent.Kind,
        table: UndoTable,
        columns: [Int],
        into writer: inout Writer
    ) {
        switch kind {
        case .insert:
            writer.text("DELETE FROM ")
            writer.text(table.qualifiedName)
            writer.text(" WHERE ")
            Self.composeGuard(table: table, side: .after, guarded: table.writable, exact: true, into: &writer)
            if table.keySource == .allColumns { writer.text(" LIMIT 1") }
        case .delete:
            writer.text("INSERT INTO ")
            writer.text(table.qualifiedName)
            writer.text(" (")
            for (position, index) in table.writable.enumerated() {
                if position > 0 { writer.text(", ") }
                writer.text(table.quotedNames[index])
            }
            let guarded = table.keySource != .allColumns || !table.otherUniqueKeys.isEmpty
            writer.text(guarded ? ") SELECT " : ") VALUES (")
            for (position, index) in table.writable.enumerated() {
                if position > 0 { writer.text(", ") }
                writer.literal(.before, index)
            }
            guard guarded else {
                writer.text(")")
                return
            }
            writer.text(" FROM DUAL WHERE ")
            var conditions = 0
            if table.keySource != .allColumns {
                Self.composeNotExists(table: table, after: &conditions, into: &writer) { writer in
                    Self.composeGuard(table: table, side: .before, guarded: [], into: &writer)
                }
            }
            // Nor where another row holds its values of a unique key now (`=`: a NULL holds nothing).
            for key in table.otherUniqueKeys {
                Self.composeNotExists(table: table, after: &conditions, into: &writer) { writer in
                    for (position, index) in key.enumerated() {
                        if position > 0 { writer.text(" AND ") }
                        writer.text(table.quotedNames[index])
                        writer.text(" = ")
                        writer.literal(.before, index)
                    }
                }
            }
        case .update:
            writer.text("UPDATE ")
            writer.text(table.qualifiedName)
            writer.text(" SET ")
            for (position, index) in columns.enumerated() {
                if position > 0 { writer.text(", ") }
                writer.text(table.quotedNames[index])
                writer.text(" = ")
                writer.literal(.before, index)
            }
            writer.text(" WHERE ")
            // A table without a key is found by every column, also with `minimal`.
            let guarded = table.keySource == .allColumns ? table.writable : columns
            Self.composeGuard(table: table, side: .after, guarded: guarded, exact: true, into: &writer)
            if table.keySource == .allColumns { writer.text(" LIMIT 1") }
        }
    }

    /// `[AND ]NOT EXISTS (SELECT 1 FROM t WHERE <condition>)`; `conditions` counts those written so far.
    static func composeNotExists<Writer: UndoSQLWriter>(
        table: UndoTable,
        after conditions: inout Int,
        into writer: inout Writer,
        _ condition: (inout Writer) -> Void
    ) {
        if conditions > 0 { writer.text(" AND ") }
        conditions += 1
        writer.text("NOT EXISTS (SELECT 1 FROM ")
        writer.text(table.qualifiedName)
        writer.text(" WHERE ")
        condition(&writer)
        writer.text(")")
    }

    /// `key = v AND … AND c <=> v …`: the key columns, then the `guarded` columns that are not in the key.
    ///
    /// `exact` (the guard of a statement that changes a row): text columns are compared by their bytes too, as
    /// `CAST(c AS BINARY) <=> CAST(v AS BINARY)`. Under a column's collation `'alice'` equals `'ALICE'` and
    /// `'Alice '`, so a guard by `=` alone would not see a later change of case, accents or trailing spaces and the
    /// undo would overwrite it. The key is still compared by `=` first, so that the row is found by its index.
    static func composeGuard<Writer: UndoSQLWriter>(
        table: UndoTable,
        side: UndoSQLSide,
        guarded: [Int],
        exact: Bool = false,
        into writer: inout Writer
    ) {
        var first = true
        func bytesEqual(_ index: Int) {
            writer.text("CAST(")
            writer.text(table.quotedNames[index])
            writer.text(" AS BINARY) <=> CAST(")
            writer.literal(side, index)
            writer.text(" AS BINARY)")
        }
        for index in table.key {
            if !first { writer.text(" AND ") }
            first = false
            writer.text(table.quotedNames[index])
            writer.keyEquals(side, index)
            writer.literal(side, index)
            if exact && table.columns[index].comparesByCollation {
                writer.text(" AND ")
                bytesEqual(index)
            }
        }
        for index in guarded where !table.key.contains(index) {
            if !first { writer.text(" AND ") }
            first = false
            if exact && table.columns[index].comparesByCollation {
                bytesEqual(index)
            } else {
                writer.text(table.quotedNames[index])
                writer.text(" <=> ")
                writer.literal(side, index)
            }
        }
        if first { writer.text("1 = 1") }
    }

    func keyText(table: UndoTable, values: RowLiterals) -> String {
        guard self.conflictContext else { return "" }
        guard !table.key.isEmpty else { return "(no key: matched on all columns)" }
        var text: [UInt8] = []
        for (position, index) in table.key.enumerated() {
            if position > 0 { text.append(contentsOf: ", ".utf8) }
            text.append(contentsOf: table.quotedNames[index])
            text.append(UInt8(ascii: "="))
            values.append(index, to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }

    func lookup(table: UndoTable, values: RowLiterals) -> [UInt8] {
        guard self.conflictContext, !table.key.isEmpty else { return [] }
        var writer = UndoStatementText(before: values, after: values, sql: Array("SELECT * FROM ".utf8))
        writer.text(table.qualifiedName)
        writer.text(" WHERE ")
        Self.composeGuard(table: table, side: .before, guarded: [], into: &writer)
        return writer.sql
    }
}
