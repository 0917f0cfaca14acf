/// The text of one table's undo statements of one kind with holes for the literals, worked out once per
/// table (by ``RowReverser/compose(_:table:columns:into:)``) and filled for each row with a few copies.
struct UndoStatementTemplate: Sendable, UndoSQLWriter {
    /// One piece: fixed text (a range of ``bytes``), a literal, or a key comparison.
    struct Part: Sendable {
        enum Kind: UInt8, Sendable { case text, literal, keyEquals }
        var kind: Kind
        var side: UndoSQLSide
        /// The column (literal, key comparison) or the range of ``text`` (text).
        var column: Int
        var start: Int
        var end: Int
    }

    private(set) var bytes: [UInt8] = []
    private(set) var parts: [Part] = []

    init() {}

    mutating func text(_ bytes: [UInt8]) {
        if let last = self.parts.last, last.kind == .text, last.end == self.bytes.count {
            self.parts[self.parts.count - 1].end += bytes.count
        } else {
            self.parts.append(
                Part(
                    kind: .text,
                    side: .before,
                    column: 0,
                    start: self.bytes.count,
                    end: self.bytes.count + bytes.count
                )
            )
        }
        self.bytes.append(contentsOf: bytes)
    }

    mutating func literal(_ side: UndoSQLSide, _ column: Int) {
        self.parts.append(Part(kind: .literal, side: side, column: column, start: 0, end: 0))
    }

    mutating func keyEquals(_ side: UndoSQLSide, _ column: Int) {
        self.parts.append(Part(kind: .keyEquals, side: side, column: column, start: 0, end: 0))
    }

    private static let equals: StaticString = " = "
    private static let nullSafeEquals: StaticString = " <=> "

    /// Appends the statement with the literals of `before` and `after`.
    func append(before: RowLiterals, after: RowLiterals, to sql: inout [UInt8]) {
        self.bytes.withUnsafeBufferPointer { text in
            self.parts.withUnsafeBufferPointer { parts in
                for part in parts {
                    switch part.kind {
                    case .text:
                        sql.append(contentsOf: UnsafeBufferPointer(rebasing: text[part.start..<part.end]))
                    case .literal:
                        (part.side == .before ? before : after).append(part.column, to: &sql)
                    case .keyEquals:
                        let isNull = (part.side == .before ? before : after).isNull(part.column)
                        let symbol = isNull ? Self.nullSafeEquals : Self.equals
                        sql.append(
                            contentsOf: UnsafeBufferPointer(start: symbol.utf8Start, count: symbol.utf8CodeUnitCount)
                        )
                    }
                }
            }
        }
    }
}
