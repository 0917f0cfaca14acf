import ArgumentParser
import Backup
import Logging

/// `rewind backup load DIR/<id>|s3://bucket/prefix/<id> [connection]`.
struct BackupLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a backup into a server in parallel and prove it by comparing every table's hash.",
        discussion: """
            Refuses a target that already holds any of the backup's tables (unless --force, which drops them). \
            Loads schema, then data on --threads connections (binlog off for the session where allowed, checks \
            deferred), then views, routines, events and triggers; checks each chunk's hash while loading and \
            ends by hashing every table on the target. Exit 1 on any failure or mismatch.
            """
    )

    @Argument(help: "The backup: DIR/<id> or s3://bucket/prefix/<id> (chunks are streamed, not copied).")
    var backup: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Load connections (default 4).")
    var threads: Int = 4

    @Flag(help: "Drop the backup's tables on the target first when they exist.")
    var force = false

    @Flag(help: "Also create the backup's users and roles and apply their grants (backups made with --with-grants).")
    var withGrants = false

    @Flag(
        inversion: .prefixedNo,
        help: "Create InnoDB tables without their plain secondary keys and add them after the data (default on)."
    )
    var deferIndexes = true

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be 1…64") }
    }

    func run() async throws {
        let configuration = try self.connection.makeConfiguration()
        var logger = Logger(label: "rewind.backup.load")
        logger.logLevel = .warning
        let log = BackupLog(verb: "load")
        let summary: BackupLoadSummary
        do {
            summary = try await self.objectStorage.withBackupStore(self.backup) { store in
                try await BackupLoader.load(
                    options: BackupLoadOptions(
                        backup: store,
                        threads: self.threads,
                        force: self.force,
                        withGrants: self.withGrants,
                        deferIndexes: self.deferIndexes
                    ),
                    configuration: configuration,
                    logger: logger,
                    report: { log.handle($0) }
                )
            }
        } catch {
            log.finish()
            Diagnostics.print("rewind backup load: \(error)")
            throw ExitCode(1)
        }
        log.finish()
        switch self.format {
        case .text:
            print(
                "loaded \(summary.tables) tables, \(summary.chunks) chunks, \(summary.rows) rows into "
                    + "\(configuration.endpoint); every table's hash equals the manifest"
                    + (summary.binlogOff ? "" : " (the target's binlog recorded the load: no privilege to turn it off)")
            )
        case .json:
            print(
                JSONText.object([
                    ("backup", JSONText.quote(self.backup)), ("tables", "\(summary.tables)"),
                    ("chunks", "\(summary.chunks)"), ("rows", "\(summary.rows)"),
                    ("verified_tables", "\(summary.verifiedTables)"), ("binlog_off", "\(summary.binlogOff)"),
                    ("raised_max_allowed_packet", summary.raisedMaxAllowedPacket.map { "\($0)" } ?? "null"),
                ])
            )
        }
    }
}
