/// Reads the records of a plan's ``SpillFile`` newest first and puts them in the order the undo runs:
/// each transaction's header, its row events from the last to the first, its end; transactions that were
/// not committed (a discard record after them) left out.
struct UndoStepReader {
    enum Step: Equatable {
        case begin(UndoTransactionHeader)
        /// The rows of one event, to be undone from the last row to the first.
        case rows(UndoRowsReference)
        case commit(UndoTransactionHeader)
    }

    private var reader: SpillReverseReader
    private var open: UndoTransactionHeader?
    private var pending: UndoTransactionHeader?
    private var skipping = false

    init(reader: SpillReverseReader) {
        self.reader = reader
    }

    /// The next step, or `nil` after the last transaction's end.
    mutating func next() throws -> Step? {
        if let pending = self.pending {
            self.pending = nil
            self.open = pending
            return .begin(pending)
        }
        while true {
            let record: Record? = try self.reader.previous { kind, payload in
                switch kind {
                case UndoRecord.headerKind: return .header(try UndoRecord.decodeHeader(payload))
                case UndoRecord.discardKind: return .discard
                case UndoRecord.rowsKind: return .rows(try UndoRecord.decodeRows(payload))
                default:
                    throw FlashbackError(
                        code: .input,
                        reason: "the temporary undo file is damaged (record kind \(kind))"
                    )
                }
            }
            switch record {
            case .header(let header):
                self.skipping = false
                if let open = self.open {
                    self.pending = header
                    self.open = nil
                    return .commit(open)
                }
                self.open = header
                return .begin(header)
            case .discard:
                self.skipping = true
                if let open = self.open {
                    self.open = nil
                    return .commit(open)
                }
            case .rows(let rows):
                if self.skipping { continue }
                return .rows(rows)
            case nil:
                if let open = self.open {
                    self.open = nil
                    return .commit(open)
                }
                return nil
            }
        }
    }

    private enum Record {
        case header(UndoTransactionHeader)
        case discard
        case rows(UndoRowsReference)
    }
}
