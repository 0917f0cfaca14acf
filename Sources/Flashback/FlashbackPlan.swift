/// The undo of the selected transactions, kept in a temporary file, read back newest first.
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

    init(spill: SpillFile, transactionCount: Int, statementCount: Int, tables: [String], notes: [String]) {
        self.spill = spill
        self.transactionCount = transactionCount
        self.statementCount = statementCount
        self.tables = tables
        self.notes = notes
    }

    /// A reader of the undo, newest original transaction first, each one's statements in reverse order.
    public func makeReader() throws -> UndoReader {
        UndoReader(reader: try SpillReverseReader(file: self.spill))
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

/// Reads a ``FlashbackPlan`` newest first in constant memory.
public struct UndoReader {
    private var reader: SpillReverseReader
    private var open: UndoTransactionHeader?
    private var pending: UndoTransactionHeader?
    private var skipping = false

    init(reader: SpillReverseReader) {
        self.reader = reader
    }

    /// The next item, or `nil` after the last transaction's commit.
    public mutating func next() throws -> UndoItem? {
        if let pending = self.pending {
            self.pending = nil
            self.open = pending
            return .begin(pending)
        }
        while let record = try self.reader.previous() {
            switch record.kind {
            case UndoRecord.headerKind:
                let header = try UndoRecord.decodeHeader(record.payload)
                self.skipping = false
                if let open = self.open {
                    self.pending = header
                    self.open = nil
                    return .commit(open)
                }
                self.open = header
                return .begin(header)
            case UndoRecord.discardKind:
                self.skipping = true
                if let open = self.open {
                    self.open = nil
                    return .commit(open)
                }
            case UndoRecord.statementKind:
                if self.skipping { continue }
                return .statement(try UndoRecord.decodeStatement(record.payload))
            default:
                throw FlashbackError(code: .input, reason: "the temporary undo file is damaged (record kind \(record.kind))")
            }
        }
        if let open = self.open {
            self.open = nil
            return .commit(open)
        }
        return nil
    }
}
