import BinlogFormat
import Recovery

/// Renders the undo of one row event of a plan, its rows from the last to the first: reads the event again
/// from its binlog (the first pass noted only where it is) and writes each row's guarded statement straight
/// from the row bytes. Pure apart from that read, so events render on any thread, each with its own
/// ``UndoRenderScratch``.
struct UndoEventRenderer: Sendable {
    /// By file index; `nil` for a file with no row event to undo.
    let readers: [PositionedBinlogReader?]
    let tables: [UndoTable]
    let reverser: RowReverser

    /// Appends the statements (`…;\n` each) that undo the rows of `reference`, last row first.
    func appendScript(_ reference: UndoRowsReference, to output: inout [UInt8], scratch: UndoRenderScratch) throws {
        let (rows, table, file) = try self.load(reference, scratch: scratch)
        // Local buffers (taken from the scratch and given back): no exclusivity check per access.
        var statements: [UInt8] = []
        var ends: [Int] = []
        swap(&statements, &scratch.statements)
        swap(&ends, &scratch.ends)
        defer {
            swap(&statements, &scratch.statements)
            swap(&ends, &scratch.ends)
        }
        statements.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let reverser = self.reverser
        try self.forEachRow(rows, table: table, file: file, position: reference.position, scratch: scratch) {
            before,
            after in
            reverser.appendUndo(rows.kind, before: before, after: after, table: table, to: &statements)
            statements.append(UInt8(ascii: ";"))
            statements.append(0x0A)
            ends.append(statements.count)
        }
        statements.withUnsafeBufferPointer { statements in
            var end = statements.count
            for index in ends.indices.reversed() {
                let start = index > 0 ? ends[index - 1] : 0
                output.append(contentsOf: UnsafeBufferPointer(rebasing: statements[start..<end]))
                end = start
            }
        }
    }

    /// The statements that undo the rows of `reference`, with their keys and lookups (for `--apply`), in row
    /// order (they run from the last).
    func statements(_ reference: UndoRowsReference, scratch: UndoRenderScratch) throws -> [UndoStatement] {
        let (rows, table, file) = try self.load(reference, scratch: scratch)
        var statements: [UndoStatement] = []
        let reverser = self.reverser
        try self.forEachRow(rows, table: table, file: file, position: reference.position, scratch: scratch) {
            before,
            after in
            statements.append(reverser.undo(rows.kind, before: before, after: after, table: table))
        }
        return statements
    }

    /// Calls `body` for each row with its images rendered (the literals of `scratch`, lent for the call).
    private func forEachRow(
        _ rows: RowsEvent,
        table: UndoTable,
        file: String,
        position: UInt64,
        scratch: UndoRenderScratch,
        _ body: (borrowing RowLiterals, borrowing RowLiterals) throws -> Void
    ) throws {
        var beforeLiterals = RowLiterals()
        var afterLiterals = RowLiterals()
        swap(&beforeLiterals, &scratch.before)
        swap(&afterLiterals, &scratch.after)
        defer {
            swap(&beforeLiterals, &scratch.before)
            swap(&afterLiterals, &scratch.after)
        }
        do {
            try rows.forEachRawRow(table: table.map, plans: table.plans) { raw, before, after in
                if let before {
                    try beforeLiterals.fill(raw: raw, image: before, table: table, at: (file, position), name: "before")
                }
                if let after {
                    try afterLiterals.fill(raw: raw, image: after, table: table, at: (file, position), name: "after")
                }
                try body(beforeLiterals, afterLiterals)
            }
        } catch let error as BinlogDecodingError {
            throw error.adding(eventType: nil, position: position, fileName: file)
        }
    }

    /// The row event `reference` points to, its table and its file's name.
    private func load(
        _ reference: UndoRowsReference,
        scratch: UndoRenderScratch
    ) throws -> (RowsEvent, UndoTable, String) {
        guard Int(reference.file) < self.readers.count, let reader = self.readers[Int(reference.file)],
            Int(reference.table) < self.tables.count
        else {
            throw FlashbackError(code: .input, reason: "the temporary undo file is damaged (a reference out of range)")
        }
        let table = self.tables[Int(reference.table)]
        let event: BinlogEvent
        if reference.inner == 0 {
            event = try reader.record(at: reference.position, size: Int(reference.size)).event
        } else {
            if scratch.payloadKey?.file != reference.file || scratch.payloadKey?.position != reference.position {
                guard
                    case .transactionPayload(let payload) = try reader.record(
                        at: reference.position,
                        size: Int(reference.size)
                    ).event
                else { throw Self.changed(reader.name, reference.position) }
                scratch.payloadEvents = payload.events
                scratch.payloadKey = (reference.file, reference.position)
            }
            let index = Int(reference.inner) - 1
            guard index < scratch.payloadEvents.count else { throw Self.changed(reader.name, reference.position) }
            event = scratch.payloadEvents[index].event
        }
        guard case .rows(let rows) = event else { throw Self.changed(reader.name, reference.position) }
        return (rows, table, reader.name)
    }

    private static func changed(_ file: String, _ position: UInt64) -> FlashbackError {
        FlashbackError(
            code: .input,
            reason: "the row event read in the first pass is not there any more (was the file replaced?)",
            file: file,
            position: position
        )
    }
}

/// What one thread reuses from event to event while rendering undo statements.
final class UndoRenderScratch {
    var before = RowLiterals()
    var after = RowLiterals()
    /// Statements of the current event, and where each ends.
    var statements: [UInt8] = []
    var ends: [Int] = []
    /// The inner events of the TRANSACTION_PAYLOAD read last.
    var payloadKey: (file: UInt32, position: UInt64)?
    var payloadEvents: [BinlogEventRecord] = []

    init() {
        self.statements.reserveCapacity(64 << 10)
    }
}
