import Foundation
import Logging
import RewindTestSupport
import Testing

@testable import Recovery

/// The timeline of real MySQL 8.0 files (no MySQL server runs here): the commit timestamp of the GTID event is
/// the commit time, a DROP TABLE without GTIDs is named by FILE:POS, and the window cuts on commit time.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct TimelineFixtureTests {
    static let logger = Logger(label: "rewind.tests.timeline-fixtures")
    static let file = "mysql-cdc-rs/8.0/32_delete_rows_v2/binlog.000001"

    static func timeline(_ filter: TimelineFilter = TimelineFilter()) async throws -> [TimelineTransaction] {
        var result: [TimelineTransaction] = []
        _ = try await TimelineReader(filter: filter).read(.files([Fixtures.path(Self.file)]), logger: Self.logger) {
            result.append($0)
        }
        return result
    }

    @Test func mysql8CommitTimestampsAndFilePositionsForAnonymousTransactions() async throws {
        let all = try await Self.timeline()
        #expect(all.count == 5)
        #expect(all.allSatisfy { $0.commitTimeSource == .commitTimestamp && $0.gtid == nil })
        let drop = try #require(all.first)
        #expect(drop.suspicious.map(\.reason) == [.dropTable])
        #expect(drop.repair.first == "rewind restore --before binlog.000001:157")
        #expect(drop.commitTimeText == "2023-12-26T09:01:04.076736Z")
        // The CREATE TABLE in the window names the columns of the row events after it, and starts the count at 0.
        let insert = all[2]
        #expect(insert.tables.first?.columns == ["col1", "col2", "col3", "col4", "col5", "col6"])
        #expect(insert.tables.first?.rowsBefore == 0)
        #expect(all[4].tables.first?.deleted == 1)

        // The window is on commit time: [09:01:13.089461, 09:01:29.681456) holds the CREATE and the INSERT.
        let window = try await Self.timeline(
            TimelineFilter(since: all[1].commitTimeMicros, until: all[3].commitTimeMicros)
        )
        #expect(window.map(\.startPosition) == [368, 832])

        // The JSON line reads back as the same transaction, with Foundation's JSON and date parsers.
        #expect(drop.jsonLine.hasPrefix(#"{"commit_time":"2023-12-26T09:01:04.076736Z","commit_time_source":"#))
        for transaction in all {
            var decoded = try JSONDecoder().decode(TimelineTransaction.self, from: Data(transaction.jsonLine.utf8))
            decoded.namedTables = transaction.namedTables
            #expect(decoded == transaction)
            #expect(transaction.commitTimeRFC3339 == transaction.commitTimeText)
        }
    }
}
