import ArgumentParser
import Recovery
import Testing

@testable import RewindCLI

@Suite struct TimelineArgumentTests {
    @Test func windowTablesAndThresholdsParse() throws {
        let command = try Rewind.parseAsRoot([
            "timeline", "--since", "2024-05-01 13:45:00", "--until", "2024-05-01T14:00:00Z", "--timezone", "+02:00",
            "--database", "shop", "--table", "shop.orders", "--suspicious", "--large-share", "80",
            "--large-count", "5000", "--format", "json", "--no-chart", "a.000001", "a.000002",
        ])
        let timeline = try #require(command as? TimelineCommand)
        #expect(timeline.files == ["a.000001", "a.000002"])
        #expect(timeline.chart == false)
        let filter = timeline.timelineFilter()
        #expect(filter.since == Int64(1_714_563_900) * 1_000_000)  // 13:45 at +02:00 is 11:45 UTC
        #expect(filter.until == Int64(1_714_572_000) * 1_000_000)
        #expect(filter.databases == ["shop"])
        #expect(filter.tables == [QualifiedTable(database: "shop", table: "orders")])
        #expect(filter.onlySuspicious)
        #expect(timeline.thresholds.largeShare == 0.8)
        #expect(timeline.thresholds.largeCount == 5000)
        #expect(timeline.output.format == .json)
    }

    @Test(arguments: [
        ["timeline"],  // no input
        ["timeline", "--binlogs", "/archive", "a.000001"],  // two inputs
        ["timeline", "--table", "orders", "a.000001"],  // not db.table
        ["timeline", "--large-share", "0", "a.000001"],
        ["timeline", "--since", "yesterday", "a.000001"],
        ["timeline", "-R", "--server-id", "7"],  // binlog show filters by it; the replica id is --connection-server-id
        ["timeline", "--since", "2026-12-01 10:00:00", "--until", "2026-12-01 09:00:00", "a.000001"],  // empty window
    ])
    func badArgumentsAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(arguments) }
    }

    @Test func theReplicaIdIsTheConnectionServerIdAsInBinlogShow() throws {
        let timeline = try #require(
            try Rewind.parseAsRoot(["timeline", "-R", "--connection-server-id", "77"]) as? TimelineCommand)
        #expect(timeline.serverID == 77)
        do {
            _ = try Rewind.parseAsRoot(["timeline", "-R", "--server-id", "77"])
            Issue.record("--server-id was accepted")
        } catch {
            #expect(Rewind.message(for: error).contains("--connection-server-id"), "\(Rewind.message(for: error))")
        }
    }

    @Test func statementsPrintOnOneShortLine() {
        #expect(
            TimelineTextRenderer.oneLine("DELETE\n  FROM t\r\n\tWHERE a = 1", width: 100) == "DELETE FROM t WHERE a = 1"
        )
        #expect(
            TimelineTextRenderer.oneLine(String(repeating: "é", count: 300), width: 10) == String(
                repeating: "é",
                count: 9
            ) + "…"
        )
    }
}
