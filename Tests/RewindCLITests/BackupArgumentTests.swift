import ArgumentParser
import Testing

@testable import RewindCLI

@Suite struct BackupArgumentTests {
    @Test func createTakesFiltersAndThreads() throws {
        let command = try Rewind.parseAsRoot([
            "backup", "create", "--host", "db1", "--to", "/backups", "--threads", "8", "--database", "shop",
            "--exclude-database", "tmp", "--table", "shop.orders", "--format", "json",
        ])
        let create = try #require(command as? BackupCreateCommand)
        #expect(create.directory == "/backups")
        #expect(create.threads == 8)
        #expect(create.databases == ["shop"])
        #expect(create.excludedDatabases == ["tmp"])
        #expect(create.tables == ["shop.orders"])
        #expect(create.format == .json)
        #expect(create.connection.host == "db1")
    }

    @Test func badValuesAreUsageErrors() {
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["backup", "create", "--to", "d", "--threads", "0"])
        }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["backup", "create", "--to", "d", "--table", "orders"])
        }
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["backup", "create"]) }
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["backup", "prune", "d"]) }
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["backup", "prune", "d", "--keep-within", "2y"])
        }
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["window", "--backups", "b"]) }
        // A usage error (exit 64) like the others, not a failure of the prune (exit 1).
        let keepNone = #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["backup", "prune", "d", "--keep", "0"])
        }
        #expect(keepNone.map { Rewind.exitCode(for: $0) } == .validationFailure)
    }

    @Test func grantsAndLockOptions() throws {
        let create = try #require(
            try Rewind.parseAsRoot([
                "backup", "create", "--to", "/b", "--with-grants", "--grants-for", "app@%", "--grants-for", "root",
                "--lock-wait-timeout", "5", "--lock-attempts", "2",
            ]) as? BackupCreateCommand
        )
        #expect(create.withGrants && create.grantAccounts == ["app@%", "root"])
        #expect(create.lockWaitTimeout == 5 && create.lockAttempts == 2)
        let defaults = try #require(try Rewind.parseAsRoot(["backup", "create", "--to", "/b"]) as? BackupCreateCommand)
        #expect(!defaults.withGrants && defaults.lockWaitTimeout == 2 && defaults.lockAttempts == 5)
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["backup", "create", "--to", "d", "--lock-wait-timeout", "0"])
        }
        let load = try #require(
            try Rewind.parseAsRoot(["backup", "load", "/b/x", "--with-grants", "--no-defer-indexes"])
                as? BackupLoadCommand
        )
        #expect(load.withGrants && !load.deferIndexes)
        let plain = try #require(try Rewind.parseAsRoot(["backup", "load", "/b/x"]) as? BackupLoadCommand)
        #expect(!plain.withGrants && plain.deferIndexes)
    }

    @Test func pruneDurations() throws {
        #expect(BackupPruneCommand.seconds("90m") == 5400)
        #expect(BackupPruneCommand.seconds("14d") == 1_209_600)
        #expect(BackupPruneCommand.seconds("2w") == 1_209_600)
        #expect(BackupPruneCommand.seconds("x") == nil)
        let command = try Rewind.parseAsRoot(["backup", "prune", "/b", "--keep", "3", "--binlogs", "/a", "--dry-run"])
        let prune = try #require(command as? BackupPruneCommand)
        #expect(prune.keep == 3 && prune.dryRun && prune.binlogs == "/a")
    }

    @Test func loadAndWindowParse() throws {
        let load = try #require(
            try Rewind.parseAsRoot(["backup", "load", "/b/20261130T090000Z", "--socket", "/s", "--force"])
                as? BackupLoadCommand
        )
        #expect(load.backup == "/b/20261130T090000Z" && load.force && load.threads == 4)
        let window = try #require(
            try Rewind.parseAsRoot(["window", "--backups", "/b", "--binlogs", "/a", "--format", "json"])
                as? WindowCommand
        )
        #expect(window.backups == "/b" && window.binlogs == "/a" && window.format == .json)
    }
}
