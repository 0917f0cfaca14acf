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

    @Test func undoTransactionsComeNewestFirstWithTheirRowEventsReversed() throws {
        let file = try SpillFile()
        func rows(_ position: UInt64) -> UndoRowsReference {
            UndoRowsReference(file: 0, position: position, size: 100, table: 0, inner: 0)
        }
        func header(_ position: UInt64) -> UndoTransactionHeader {
            UndoTransactionHeader(
                gtid: nil, file: "f.000001", startPosition: position, endPosition: position + 1, timestamp: 0)
        }
        try file.append(kind: UndoRecord.rowsKind, payload: UndoRecord.encode(rows(10)))
        try file.append(kind: UndoRecord.rowsKind, payload: UndoRecord.encode(rows(20)))
        try file.append(kind: UndoRecord.headerKind, payload: UndoRecord.encode(header(1)))
        try file.append(kind: UndoRecord.rowsKind, payload: UndoRecord.encode(rows(30)))
        try file.append(kind: UndoRecord.discardKind, payload: [])
        try file.append(kind: UndoRecord.rowsKind, payload: UndoRecord.encode(rows(40)))
        try file.append(kind: UndoRecord.headerKind, payload: UndoRecord.encode(header(2)))
        var reader = UndoStepReader(reader: try SpillReverseReader(file: file))
        var steps: [UndoStepReader.Step] = []
        while let step = try reader.next() { steps.append(step) }
        #expect(
            steps == [
                .begin(header(2)), .rows(rows(40)), .commit(header(2)),
                .begin(header(1)), .rows(rows(20)), .rows(rows(10)), .commit(header(1)),
            ])
    }
}
