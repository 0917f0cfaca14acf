import Recovery

/// The undo of the selected transactions: where their row events are (kept in a temporary file), read back
/// newest first and rendered from the binlogs again, in bounded memory.
public final class FlashbackPlan {
    /// Undo transactions (original transactions with row changes to undo).
    public private(set) var transactionCount: Int
    /// Undo statements, one per row change.
    public private(set) var statementCount: Int
    /// `db.table` of the tables whose rows are changed back, in first-seen order.
    public private(set) var tables: [String]
    /// Things the reader of the SQL should know (tables without a key, transactions left out and why).
    public private(set) var notes: [String]
    private let spill: SpillFile
    let renderer: UndoEventRenderer

    init(
        spill: SpillFile,
        renderer: UndoEventRenderer,
        transactionCount: Int,
        statementCount: Int,
        tables: [String],
        notes: [String]
    ) {
        self.spill = spill
        self.renderer = renderer
        self.transactionCount = transactionCount
        self.statementCount = statementCount
        self.tables = tables
        self.notes = notes
    }

    /// A reader of the undo, newest original transaction first, each one's statements in reverse order.
    public func makeReader() throws -> UndoReader {
        UndoReader(steps: try self.makeStepReader(), renderer: self.renderer)
    }

    func makeStepReader() throws -> UndoStepReader {
        UndoStepReader(reader: try SpillReverseReader(file: self.spill))
    }
}

/// One step of reading a ``FlashbackPlan``.
public enum UndoItem: Sendable, Equatable {
    /// An undo transaction starts: the original transaction it reverses.
    case begin(UndoTransactionHeader)
    case statement(UndoStatement)
    /// The undo transaction that began last ends.
    case commit(UndoTransactionHeader)
}
