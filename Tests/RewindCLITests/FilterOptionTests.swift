import ArgumentParser
import Testing

@testable import RewindCLI

/// A `--table` or `--database` that can match nothing is a typo: refused, not a listing that shows nothing.
@Suite struct FilterOptionTests {
    @Test(arguments: [["--table", "a.b.c"], ["--table", ""], ["--table", "shop."], ["--database", ""]])
    func namesThatCannotMatchAreRefused(arguments: [String]) {
        do {
            _ = try Rewind.parseAsRoot(["binlog", "show"] + arguments + ["mysql-bin.000001"])
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(Rewind.message(for: error).contains("takes"), "\(Rewind.message(for: error))")
        }
    }

    @Test func realNamesAreAccepted() throws {
        _ = try Rewind.parseAsRoot(["binlog", "show", "--table", "shop.orders", "--table", "t", "-d", "shop", "f"])
    }
}
