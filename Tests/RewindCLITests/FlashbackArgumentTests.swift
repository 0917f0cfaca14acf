import ArgumentParser
import Flashback
import Testing

@testable import RewindCLI

@Suite struct FlashbackArgumentTests {
    @Test func flashbackParsesItsSelection() throws {
        let command = try Rewind.parseAsRoot([
            "flashback", "--binlogs", "/var/lib/mysql", "--only", "0-1-42", "--only", "mysql-bin.000003:1234",
            "--table", "shop.items", "--minimal", "--apply", "--atomic", "--format", "json", "-S", "/tmp/m.sock",
        ])
        let flashback = try #require(command as? FlashbackCommand)
        #expect(
            flashback.only == [
                .gtid(.mariadb(domain: 0, server: 1, sequence: 42)), .position(file: "mysql-bin.000003", offset: 1234),
            ])
        #expect(flashback.tables == ["shop.items"])
        #expect(flashback.minimal && flashback.apply && flashback.atomic)
        #expect(flashback.usesServer)
    }

    @Test func rangesTakeTimesOrPositions() throws {
        let command = try Rewind.parseAsRoot([
            "flashback", "f.000001", "--since", "2026-11-30 09:00:00", "--until", "f.000001:900", "--timezone",
            "+01:00",
        ])
        let flashback = try #require(command as? FlashbackCommand)
        #expect(flashback.since?.bound(in: flashback.timezone) == .time(1_796_025_600))
        #expect(flashback.until?.bound(in: flashback.timezone) == .position(file: "f.000001", offset: 900))
        #expect(!flashback.usesServer)
    }

    @Test func incompleteOrContradictorySelectionsAreUsageErrors() {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["flashback", "f.000001"]) }
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["flashback", "--only", "0-1-1"]) }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["flashback", "f.000001", "--only", "0-1-1", "--since", "f.000001:4"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["flashback", "f.000001", "--only", "nonsense"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["flashback", "f.000001", "--only", "0-1-1", "--atomic"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["flashback", "f.000001", "--only", "0-1-1", "--apply", "-o", "undo.sql"])
        }
    }
}
