/// Which image of a row change a literal comes from.
enum UndoSQLSide: UInt8, Sendable {
    case before, after
}

/// Where ``RowReverser`` writes an undo statement: fixed text, literals of the row's images, and the
/// comparison before a key column's literal (` = `, or ` <=> ` when the literal is NULL).
protocol UndoSQLWriter {
    mutating func text(_ bytes: [UInt8])
    mutating func literal(_ side: UndoSQLSide, _ column: Int)
    mutating func keyEquals(_ side: UndoSQLSide, _ column: Int)
}

extension UndoSQLWriter {
    mutating func text(_ string: StaticString) {
        self.text(Array(UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount)))
    }
}

/// An undo statement written out with the literals of one row change.
struct UndoStatementText: UndoSQLWriter {
    let before: RowLiterals
    let after: RowLiterals
    var sql: [UInt8]

    mutating func text(_ bytes: [UInt8]) { self.sql.append(contentsOf: bytes) }

    mutating func literal(_ side: UndoSQLSide, _ column: Int) {
        (side == .before ? self.before : self.after).append(column, to: &self.sql)
    }

    mutating func keyEquals(_ side: UndoSQLSide, _ column: Int) {
        let isNull = (side == .before ? self.before : self.after).isNull(column)
        self.sql.append(contentsOf: (isNull ? " <=> " : " = ").utf8)
    }
}
