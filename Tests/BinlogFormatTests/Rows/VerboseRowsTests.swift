import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogFormat

/// The `-v` row printer walks raw bytes; it must print exactly what decoding every value to a ``MySQLValue``
/// and printing that prints, and count the same rows, on every row event of the corpus.
@Suite struct VerboseRowsTests {
    /// What ``RowsEvent/appendVerboseRows(table:comments:to:)`` must print, built from ``RowsEvent/forEachRow(table:_:)``.
    static func reference(_ rows: RowsEvent, table: TableMapEvent, comments: [[UInt8]?]) throws -> [UInt8] {
        var out: [UInt8] = []
        let qualified = "`\(table.database)`.`\(table.table)`"
        func image(_ image: RowImage) {
            for index in 0..<rows.columnCount {
                if let diffs = image.jsonDiffs[index] {
                    out += Array("###   @\(index + 1)=".utf8)
                    out += Array(JSONDiff.sqlExpression(diffs, columnNumber: index + 1).utf8)
                } else if let value = image.values[index] {
                    out += Array("###   @\(index + 1)=".utf8)
                    value.appendVerboseText(to: &out, column: table.columns[index])
                } else {
                    continue
                }
                if index < comments.count, let comment = comments[index] { out += comment }
                out.append(0x0A)
            }
        }
        try rows.forEachRow(table: table) { change in
            switch rows.kind {
            case .insert:
                out += Array("### INSERT INTO \(qualified)\n### SET\n".utf8)
                if let after = change.after { image(after) }
            case .delete:
                out += Array("### DELETE FROM \(qualified)\n### WHERE\n".utf8)
                if let before = change.before { image(before) }
            case .update:
                out += Array("### UPDATE \(qualified)\n### WHERE\n".utf8)
                if let before = change.before { image(before) }
                out += Array("### SET\n".utf8)
                if let after = change.after { image(after) }
            }
        }
        return out
    }

    /// Comments on two columns of three, to cover both label shapes.
    static func comments(_ table: TableMapEvent) -> [[UInt8]?] {
        table.columns.indices.map { $0 % 3 == 2 ? nil : Array(" /* c\($0) */".utf8) }
    }

    /// Every row event of `records` (and of transaction payloads) with its table map.
    static func rowEvents(_ result: FixtureDecoding.Result) -> [(RowsEvent, TableMapEvent)] {
        var found: [(RowsEvent, TableMapEvent)] = []
        func visit(_ record: BinlogEventRecord, _ context: BinlogDecodingContext) {
            var context = context
            switch record.event {
            case .rows(let rows):
                if let map = context.tableMap(for: rows) { found.append((rows, map)) }
            case .transactionPayload(let payload):
                for inner in payload.events {
                    if case .tableMap(let map) = inner.event { context.tableMaps[map.tableID] = map }
                    visit(inner, context)
                }
            default:
                break
            }
        }
        for (index, record) in result.records.enumerated() { visit(record, result.contexts[index]) }
        return found
    }

    // One file at a time: 138 CPU-bound cases queued at once held the 2-thread test pool for over 30 s, and
    // other suites' network timeouts fired.
    @Test(.serialized, arguments: Fixtures.allBinlogFiles())
    func printsWhatTheValueDecoderPrints(file: String) throws {
        let result = try FixtureDecoding.decode(fixture: file, keepContexts: true)
        for (rows, table) in Self.rowEvents(result) {
            let comments = Self.comments(table)
            let expected = try? Self.reference(rows, table: table, comments: comments)
            var array: [UInt8] = []
            var buffer = TextBuffer(capacity: 16)
            let arrayCount = try? rows.appendVerboseRows(table: table, comments: comments, to: &array)
            let bufferCount = try? rows.appendVerboseRows(table: table, comments: comments, to: &buffer)
            guard let expected else {
                #expect(
                    arrayCount == nil && bufferCount == nil,
                    "\(file): the value decoder throws, the printer did not"
                )
                continue
            }
            #expect(array == expected, "\(file) table \(table.table): printed rows differ")
            #expect(buffer.bytes == expected)
            var decoded = 0
            try rows.forEachRow(table: table) { _ in decoded += 1 }
            #expect(arrayCount == decoded && bufferCount == decoded)
            #expect(try rows.rowCount(table: table) == decoded)
        }
    }

    /// `rowCount` and `rowEndOffsets` step over values by ``ValueStep``s made once per event; the value-by-value
    /// walk (``RowImageWalker/skip(_:present:partial:plans:)``) must agree with them on every row event of the
    /// corpus, whole and cut short, and a failure must be reported as the value walk reports it (naming the column).
    // One file at a time: 138 CPU-bound cases queued at once held the 2-thread test pool for over 30 s, and
    // other suites' network timeouts fired.
    @Test(.serialized, arguments: Fixtures.allBinlogFiles())
    func theFastRowWalkAgreesWithTheValueWalk(file: String) throws {
        let result = try FixtureDecoding.decode(fixture: file, keepContexts: true)
        for (rows, table) in Self.rowEvents(result) where !rows.isPartialUpdate {
            let length = rows.rowData.readableBytes
            for cut in Set([length, length - 1, length / 2, length / 3, 1]) where cut > 0 {
                var event = rows
                event.rowData = try #require(rows.rowData.getSlice(at: rows.rowData.readerIndex, length: cut))
                var fast: [Int] = []
                let fastDone = (try? event.skipRowsBySteps(table: table) { fast.append($0) }) ?? false
                var slow: [Int] = []
                var slowError: (any Error)?
                do {
                    try event.walkRows(table: table) { bytes, walker, plans, before, after in
                        try walker.skip(&bytes, present: before, partial: false, plans: plans)
                        if event.kind == .update {
                            try walker.skip(&bytes, present: after, partial: false, plans: plans)
                        }
                        slow.append(bytes.offset)
                    }
                } catch {
                    slowError = error
                }
                #expect(fastDone == (slowError == nil), "\(file): the walks disagree on an event cut to \(cut) bytes")
                if let slowError {
                    do {
                        _ = try event.rowCount(table: table)
                        Issue.record("\(file): rowCount did not throw where the value walk threw \(slowError)")
                    } catch {
                        #expect("\(error)" == "\(slowError)")
                    }
                } else {
                    #expect(fast == slow)
                    #expect(try event.rowEndOffsets(table: table) == slow)
                }
            }
        }
    }
}
