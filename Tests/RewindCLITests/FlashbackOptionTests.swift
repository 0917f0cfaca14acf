import ArgumentParser
import Testing

@testable import RewindCLI

/// Option combinations that cannot mean what was typed are refused, not ignored.
@Suite struct FlashbackOptionTests {
    @Test(arguments: [
        (["--since", "2099-01-01 00:00:00", "--until", "2000-01-01 00:00:00"], "--until comes before --since"),
        (["--since", "mysql-bin.000002:4", "--until", "mysql-bin.000001:900"], "--until comes before --since"),
        (["--only", "0-1-5", "--format", "json"], "--format json describes what --apply did"),
        (["--only", "0-1-5", "/tmp/other/mysql-bin.000009"], "give --binlogs /tmp/none or binlog files"),
    ])
    func refusedCombinations(arguments: [String], message: String) {
        do {
            _ = try Rewind.parseAsRoot(["flashback", "--binlogs", "/tmp/none"] + arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(Rewind.message(for: error).contains(message), "\(Rewind.message(for: error))")
        }
    }

    @Test func theRightOrderIsAccepted() throws {
        _ = try Rewind.parseAsRoot(
            ["flashback", "--binlogs", "/tmp/none", "--since", "mysql-bin.000001:4", "--until", "mysql-bin.000001:900"])
        _ = try Rewind.parseAsRoot([
            "flashback", "--binlogs", "/tmp/none", "--only", "0-1-5", "--apply", "--format", "json",
        ])
    }
}
