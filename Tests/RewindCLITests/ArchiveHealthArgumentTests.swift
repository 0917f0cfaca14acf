import ArgumentParser
import Testing

@testable import RewindCLI

@Suite struct ArchiveHealthArgumentTests {
    @Test func metricsOptionsParse() throws {
        let command = try Rewind.parseAsRoot([
            "binlog", "archive", "--to", "/archive", "--follow", "--heartbeat", "5", "--metrics-port", "9580",
            "--metrics-address", "0.0.0.0", "--stall-timeout", "120",
        ])
        let archive = try #require(command as? BinlogArchiveCommand)
        #expect(archive.metricsPort == 9580)
        #expect(archive.metricsAddress == "0.0.0.0")
        #expect(archive.stallTimeout == 120)
        let health = try #require(
            try Rewind.parseAsRoot(["binlog", "archive-health", "--port", "9580"]) as? BinlogArchiveHealthCommand
        )
        #expect(health.host == "127.0.0.1")
        #expect(health.timeout == 5)
    }

    @Test func metricsAreOffByDefault() throws {
        let archive = try #require(
            try Rewind.parseAsRoot(["binlog", "archive", "--to", "/archive"]) as? BinlogArchiveCommand
        )
        #expect(archive.metricsPort == nil)
        #expect(archive.stallTimeout == 60)
    }

    @Test(arguments: [
        ["binlog", "archive", "--to", "/a", "--metrics-port", "0"],
        ["binlog", "archive", "--to", "/a", "--metrics-port", "70000"],
        // An idle server sends a heartbeat every 30 s: a stall timeout of 40 s would restart a healthy archiver.
        ["binlog", "archive", "--to", "/a", "--heartbeat", "30", "--stall-timeout", "40"],
        ["binlog", "archive-health"],
        ["binlog", "archive-health", "--port", "9580", "--timeout", "0"],
    ])
    func badArgumentsAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(arguments) }
    }
}
