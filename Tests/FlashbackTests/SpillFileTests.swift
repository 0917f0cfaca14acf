import Testing

@testable import Flashback

@Suite struct SpillFileTests {
    @Test func recordsComeBackNewestFirstAcrossWindows() throws {
        let file = try SpillFile()
        // 3 MiB of records (several read windows) and one record larger than half a window.
        var written: [[UInt8]] = []
        for index in 0..<30_000 {
            let payload = Array("statement \(index) ".utf8) + Array(repeating: UInt8(index % 251), count: index % 200)
            written.append(payload)
            try file.append(kind: 1, payload: payload)
        }
        let big = [UInt8](repeating: 7, count: 700_000)
        written.append(big)
        try file.append(kind: 1, payload: big)
        var reader = try SpillReverseReader(file: file)
        var read: [[UInt8]] = []
        while let record = try reader.previous() {
            #expect(record.kind == 1)
            read.append(record.payload)
        }
        #expect(read == written.reversed())
    }

    @Test func undoTransactionsComeNewestFirstWithTheirStatementsReversed() throws {
        let file = try SpillFile()
        func statement(_ text: String) -> UndoStatement {
            UndoStatement(kind: .delete, sql: Array(text.utf8), table: "d.t", key: "k", lookup: [])
        }
        func header(_ position: UInt64) -> UndoTransactionHeader {
            UndoTransactionHeader(gtid: nil, file: "f.000001", startPosition: position, endPosition: position + 1, timestamp: 0)
        }
        try file.append(kind: UndoRecord.statementKind, payload: UndoRecord.encode(statement("a1")))
        try file.append(kind: UndoRecord.statementKind, payload: UndoRecord.encode(statement("a2")))
        try file.append(kind: UndoRecord.headerKind, payload: UndoRecord.encode(header(1)))
        try file.append(kind: UndoRecord.statementKind, payload: UndoRecord.encode(statement("rolled back")))
        try file.append(kind: UndoRecord.discardKind, payload: [])
        try file.append(kind: UndoRecord.statementKind, payload: UndoRecord.encode(statement("b1")))
        try file.append(kind: UndoRecord.headerKind, payload: UndoRecord.encode(header(2)))
        let plan = FlashbackPlan(spill: file, transactionCount: 2, statementCount: 3, tables: ["d.t"], notes: [])
        var reader = try plan.makeReader()
        var items: [UndoItem] = []
        while let item = try reader.next() { items.append(item) }
        #expect(items == [
            .begin(header(2)), .statement(statement("b1")), .commit(header(2)),
            .begin(header(1)), .statement(statement("a2")), .statement(statement("a1")), .commit(header(1)),
        ])
    }
}
