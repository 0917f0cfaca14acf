import BinlogFormat
import RewindTestSupport
import SQLRendering
import Testing

/// The undo renders literals straight from row bytes (`SQLLiteral.append(raw:plan:column:to:)`); on every row
/// of every binlog of the corpus (MySQL 5.x–9, MariaDB, every column type they hold) that must give the very
/// text of the literal of the decoded value, and fail where it fails.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct RawLiteralCorpusTests {
    @Test func rawLiteralsAreTheLiteralsOfTheDecodedValues() throws {
        var events = 0
        var values = 0
        for fixture in Fixtures.allBinlogFiles() {
            let result = try FixtureDecoding.decode(fixture: fixture)
            var tables: [UInt64: TableMapEvent] = [:]
            for record in result.records {
                try Self.compare(record, tables: &tables, fixture: fixture, events: &events, values: &values)
            }
        }
        #expect(events > 1000)
        #expect(values > 10000)
    }

    static func compare(
        _ record: BinlogEventRecord,
        tables: inout [UInt64: TableMapEvent],
        fixture: String,
        events: inout Int,
        values: inout Int
    ) throws {
        switch record.event {
        case .tableMap(let table):
            tables[table.tableID] = table
        case .transactionPayload(let payload):
            for inner in payload.events {
                try Self.compare(inner, tables: &tables, fixture: fixture, events: &events, values: &values)
            }
        case .rows(let rows):
            guard let table = tables[rows.tableID] else { return }
            let decoded = Self.decodedLiterals(rows, table: table)
            let raw = Self.rawLiterals(rows, table: table)
            #expect(raw == decoded, "\(fixture) at \(record.position): \(table.database).\(table.table)")
            events += 1
            values += decoded.count
        default:
            return
        }
    }

    /// Per row, image and column: the literal, `NULL`, `-` (left out), `diff` or `error`; `event error` when
    /// the rows do not decode.
    static func decodedLiterals(_ rows: RowsEvent, table: TableMapEvent) -> [String] {
        var texts: [String] = []
        do {
            try rows.forEachRow(table: table) { change in
                for image in [change.before, change.after].compactMap({ $0 }) {
                    for (index, column) in table.columns.enumerated() {
                        if image.jsonDiffs[index] != nil {
                            texts.append("diff")
                        } else if index < image.values.count, let value = image.values[index] {
                            if value == .null {
                                texts.append("NULL")
                                continue
                            }
                            var text: [UInt8] = []
                            if (try? SQLLiteral.append(value, column: column, to: &text)) != nil {
                                texts.append(String(decoding: text, as: UTF8.self))
                            } else {
                                texts.append("error")
                            }
                        } else {
                            texts.append("-")
                        }
                    }
                }
            }
        } catch {
            return ["event error"]
        }
        return texts
    }

    static func rawLiterals(_ rows: RowsEvent, table: TableMapEvent) -> [String] {
        var texts: [String] = []
        let literals = table.columns.map(SQLLiteralPlan.init)
        let plans = literals.map(\.storage)
        do {
            try rows.forEachRawRow(table: table, plans: plans) { raw, before, after in
                for image in [before, after].compactMap({ $0 }) {
                    for index in table.columns.indices {
                        let slot = image.slots[index]
                        switch slot.state {
                        case .absent: texts.append("-")
                        case .null: texts.append("NULL")
                        case .jsonDiff: texts.append("diff")
                        case .value:
                            var text: [UInt8] = []
                            let bytes = UnsafeRawBufferPointer(rebasing: raw[slot.start..<slot.end])
                            if (try? SQLLiteral.append(
                                raw: bytes,
                                plan: literals[index],
                                column: table.columns[index],
                                to: &text
                            )) != nil {
                                texts.append(String(decoding: text, as: UTF8.self))
                            } else {
                                texts.append("error")
                            }
                        }
                    }
                }
            }
        } catch {
            return ["event error"]
        }
        return texts
    }
}
