import Foundation
import Testing

@testable import Recovery

@Suite struct TimelineJSONTests {
    /// Escapes at every offset of the 8-byte fast path read back as the original text through Foundation.
    @Test(arguments: ["\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "€ \"q\" \\ \r\n"])
    func stringsRoundTripWhereverTheEscapeFalls(special: String) throws {
        for prefix in 0..<17 {
            let text = String(repeating: "a", count: prefix) + special + String(repeating: "b ", count: prefix % 5)
            var bytes: [UInt8] = []
            TimelineTransaction.appendString(text, to: &bytes)
            let decoded = try JSONDecoder().decode(String.self, from: Data(bytes))
            #expect(decoded == text)
        }
    }

    @Test func aTransactionLineHasEveryKeyOfTheSchemaInOrder() throws {
        let transaction = TimelineTransaction(
            gtid: nil,
            file: "mysql-bin.000003",
            startPosition: 763,
            endPosition: 1252,
            commitTimeMicros: 1_764_494_204_000_000,
            commitTimeSource: .eventTime,
            tables: [.init(database: "d", table: "t", deleted: 40, columns: ["id", "v"], rowsBefore: 50)],
            statements: ["DELETE FROM d.t WHERE id > 10"],
            suspicious: [.init(reason: .largeShare, detail: "deleted 40 of 50 rows (80%) of d.t")],
            repair: TimelineTransaction.repairCommands(for: "mysql-bin.000003:763")
        )
        #expect(
            transaction.jsonLine
                == #"{"commit_time":"2025-11-30T09:16:44Z","commit_time_source":"event_time","end_position":1252,"#
                + #""file":"mysql-bin.000003","gtid":null,"repair":["rewind restore --before mysql-bin.000003:763","#
                + #""rewind restore --skip mysql-bin.000003:763","rewind flashback --only mysql-bin.000003:763"],"#
                + #""start_position":763,"statements":["DELETE FROM d.t WHERE id > 10"],"suspicious":[{"detail":"#
                + #""deleted 40 of 50 rows (80%) of d.t","reason":"large_share"}],"tables":[{"columns":["id","v"],"#
                + #""database":"d","deleted":40,"inserted":0,"rows_before":50,"table":"t","updated":0}]}"#
        )
    }

    /// Flashback is named only for what it can undo: rows changed, no DDL (it refuses a DROP or TRUNCATE, whose rows
    /// the binlog does not hold; the audit found the timeline suggesting it for both).
    @Test func flashbackIsSuggestedOnlyForRowChanges() {
        var truncate = TimelineTransaction(
            gtid: "0-1-37", file: "mysql-bin.000002", startPosition: 4, endPosition: 90, commitTimeMicros: 0,
            commitTimeSource: .eventTime, statements: ["TRUNCATE TABLE audit"],
            suspicious: [.init(reason: .truncate, detail: "truncates shop.audit")])
        #expect(truncate.repairCommands == ["rewind restore --before 0-1-37", "rewind restore --skip 0-1-37"])
        truncate.suspicious = [.init(reason: .noWhere, detail: "DELETE FROM audit")]
        #expect(truncate.repairCommands.count == 2, "no row events (statement format): nothing to undo")
        truncate.tables = [.init(database: "shop", table: "audit", deleted: 7)]
        #expect(truncate.repairCommands.last == "rewind flashback --only 0-1-37")
    }
}
