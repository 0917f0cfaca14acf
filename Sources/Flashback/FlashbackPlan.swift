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
    private let ddlCheck: DDLCheck

    init(
        spill: SpillFile,
        renderer: UndoEventRenderer,
        ddlCheck: DDLCheck,
        transactionCount: Int,
        statementCount: Int,
        tables: [String],
        notes: [String]
    ) {
        self.spill = spill
        self.renderer = renderer
        self.ddlCheck = ddlCheck
        self.transactionCount = transactionCount
        self.statementCount = statementCount
        self.tables = tables
        self.notes = notes
    }

    /// Waits for the DDL check that may still run (``FlashbackPlanner/plan(paths:overlappingChecks:)``) and
    /// throws its refusal: no undo may be written or run before it has passed. The script writer and the
    /// applier call it; it gives the same answer each time.
    ///
    /// - Throws: ``FlashbackError`` `.refused` (DDL on an affected table after the selection), or what the scan
    ///   of the binlogs met (``BinlogDecodingError``, ``RecoveryError``).
    public func confirm() throws {
        try self.ddlCheck.confirm()
    }

    /// A reader of the undo, newest original transaction first, each one's statements in reverse order (after
    /// ``confirm()``).
    public func makeReader() throws -> UndoReader {
        try self.confirm()
        return UndoReader(steps: try self.makeStepReader(), renderer: self.renderer)
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
