import ArgumentParser
import BinlogFormat
import Testing

@testable import RewindCLI

@Suite struct ArgumentParsingTests {
    @Test func showParsesMysqlbinlogFilters() throws {
        let command = try Rewind.parseAsRoot([
            "binlog", "show", "-vv", "--start-position", "4", "--stop-position", "900",
            "--start-datetime", "2024-05-01 13:45:00", "--stop-datetime", "2024-05-01T14:00:00Z",
            "--database", "shop", "--table", "shop.orders", "--include-gtids", "0-1-5,0-1-9",
            "--format", "json", "--timezone", "+02:00", "a.000001", "a.000002",
        ])
        let show = try #require(command as? BinlogShowCommand)
        #expect(show.files == ["a.000001", "a.000002"])
        #expect(show.verbose == 2)
        let filter = show.filters.filter(timezone: show.output.timezone)
        #expect(filter.startPosition == 4)
        #expect(filter.stopPosition == 900)
        let elevenFortyFiveUTC: Int64 = 1_714_563_900  // 13:45 at +02:00 is 11:45 UTC
        #expect(filter.startTime == elevenFortyFiveUTC)
        #expect(filter.stopTime == 1_714_572_000)
        #expect(filter.databases == ["shop"])
        #expect(filter.includeGTIDs?.contains(.mariadb(domain: 0, server: 1, sequence: 9)) == true)
        #expect(show.output.format == .json)
    }

    @Test func stopBeforeStartIsAUsageError() {
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["binlog", "show", "--start-position", "900", "--stop-position", "4", "f"])
        }
    }

    @Test func badDatetimeAndGTIDSetAreRejected() {
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["binlog", "show", "--start-datetime", "yesterday", "f"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["binlog", "show", "--include-gtids", "nope", "f"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["binlog", "show", "--timezone", "Mars/Base", "f"])
        }
    }

    @Test func statsTakesFilesAndFormat() throws {
        let command = try Rewind.parseAsRoot(["binlog", "stats", "--format", "json", "x"])
        let stats = try #require(command as? BinlogStatsCommand)
        #expect(stats.files == ["x"])
    }
}
