/// Reads a ``FlashbackPlan`` newest first, one statement at a time, in memory bounded by one row event.
public struct UndoReader {
    private var steps: UndoStepReader
    private let renderer: UndoEventRenderer
    private let scratch = UndoRenderScratch()
    /// Statements of the row event being read, the next one last.
    private var statements: [UndoStatement] = []

    init(steps: UndoStepReader, renderer: UndoEventRenderer) {
        self.steps = steps
        self.renderer = renderer
    }

    /// The next item, or `nil` after the last transaction's commit.
    public mutating func next() throws -> UndoItem? {
        while true {
            if let statement = self.statements.popLast() { return .statement(statement) }
            switch try self.steps.next() {
            case .begin(let header): return .begin(header)
            case .commit(let header): return .commit(header)
            case .rows(let reference):
                self.statements = try self.renderer.statements(reference, scratch: self.scratch)
            case nil: return nil
            }
        }
    }
}
