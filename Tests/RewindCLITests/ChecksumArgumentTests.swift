import ArgumentParser
import BinlogFormat
import Testing

@testable import RewindCLI

@Suite struct ChecksumArgumentTests {
    @Test func takesConnectionFiltersExpectAndThreads() throws {
        let command = try Rewind.parseAsRoot([
            "checksum", "--socket", "/s", "--database", "shop", "--database", "crm", "--table", "hr.staff",
            "--format", "json", "--expect", "before.json", "--threads", "8",
        ])
        let checksum = try #require(command as? ChecksumCommand)
        #expect(checksum.connection.socket == "/s")
        #expect(checksum.selection.databases == ["shop", "crm"])
        #expect(checksum.selection.tables == [QualifiedTable(database: "hr", table: "staff")])
        #expect(checksum.format == .json && checksum.expect == "before.json" && checksum.threads == 8)
        let defaults = try #require(try Rewind.parseAsRoot(["checksum"]) as? ChecksumCommand)
        #expect(defaults.selection.isEverything && defaults.threads == 4 && defaults.expect == nil)
    }

    @Test func badValuesAreUsageErrors() {
        for arguments in [["--threads", "0"], ["--threads", "65"], ["--table", "orders"], ["--table", "shop."]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try Rewind.parseAsRoot(["checksum"] + arguments) }
        }
    }
}
