import ArgumentParser
import Backup
import Foundation
import Logging
import MySQLWire

/// `rewind backup create`: a consistent snapshot with its binlog coordinates, in `DIR/<id>/`.
struct BackupCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Take a consistent logical backup of a server into DIR/<id>/ or s3://bucket/prefix/<id>/.",
        discussion: """
            MariaDB: BACKUP STAGE BLOCK_DDL for the duration and one consistent snapshot shared by every dump \
            connection (no commit lock). MySQL 8.0/8.4: LOCK INSTANCE FOR BACKUP for the duration and a brief \
            FLUSH TABLES WITH READ LOCK (retried, never waiting more than --lock-wait-timeout) while the snapshots \
            open. Tables are cut by their primary or unique key into zstd-compressed INSERT \
            files; manifest.json records the binlog coordinates, GTID state, row hashes and load order. Prints the \
            backup id as the last line of stdout (--format json: the manifest summary). Exit 1 on failure; the \
            backup then stays incomplete.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("to"), help: "The backup catalog: a directory or s3://bucket/prefix.")
    var directory: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Dump connections (default 4).")
    var threads: Int = 4

    @Option(name: .customLong("database"), help: "Back up only this database (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("exclude-database"), help: "Leave this database out (repeatable).")
    var excludedDatabases: [String] = []

    @Option(name: .customLong("table"), help: "Back up only this table, as DB.TABLE (repeatable).")
    var tables: [String] = []

    @Flag(help: "Also back up users, roles and their grants (grants.sql), except root and the system accounts.")
    var withGrants = false

    @Option(
        name: .customLong("grants-for"),
        help: "With --with-grants: only this account, USER or USER@HOST (repeatable; system accounts when named)."
    )
    var grantAccounts: [String] = []

    @Option(help: "MySQL: seconds each FLUSH TABLES WITH READ LOCK may wait (writes queue meanwhile; default 2).")
    var lockWaitTimeout: Int = 2

    @Option(help: "MySQL: attempts at FLUSH TABLES WITH READ LOCK before giving up (default 5).")
    var lockAttempts: Int = 5

    @Option(help: "Output: text (the id) or json (the manifest summary).")
    var format: OutputFormat = .text

    func validate() throws {
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be 1…64") }
        guard (1...3600).contains(self.lockWaitTimeout) else {
            throw ValidationError("--lock-wait-timeout must be 1…3600")
        }
        guard (1...100).contains(self.lockAttempts) else { throw ValidationError("--lock-attempts must be 1…100") }
        for table in self.tables where !table.contains(".") {
            throw ValidationError("--table \(table): give it as DB.TABLE")
        }
    }

    func run() async throws {
        let configuration = try self.connection.makeConfiguration()
        var logger = Logger(label: "rewind.backup")
        logger.logLevel = .warning
        let log = BackupLog(verb: "backup")
        let manifest: BackupManifest
        let location: String
        // A catalog directory this run creates is removed again when the backup fails before writing anything into
        // it (a server that cannot be reached, a wrong password, a typo in --table): no empty directory left behind.
        let isNewDirectory =
            !self.directory.hasPrefix("s3://") && !FileManager.default.fileExists(atPath: self.directory)
        defer {
            if isNewDirectory, (try? FileManager.default.contentsOfDirectory(atPath: self.directory))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: self.directory)
            }
        }
        do {
            (manifest, location) = try await self.objectStorage.withBackupStore(self.directory) { catalog in
                let options = BackupCreateOptions(
                    catalog: catalog,
                    threads: self.threads,
                    databases: self.databases,
                    excludedDatabases: self.excludedDatabases,
                    tables: self.tables,
                    readLock: ReadLockPolicy(waitSeconds: self.lockWaitTimeout, attempts: self.lockAttempts),
                    withGrants: self.withGrants,
                    grantAccounts: self.grantAccounts,
                    rewindVersion: Rewind.configuration.version
                )
                let manifest = try await BackupCreator.create(
                    options: options,
                    configuration: configuration,
                    logger: logger,
                    report: { log.handle($0) }
                )
                return (manifest, catalog.descending(into: manifest.id).location)
            }
        } catch {
            log.finish()
            Diagnostics.print("rewind backup create: \(error)")
            throw ExitCode(1)
        }
        log.finish()
        if manifest.binlog == nil {
            // A consistent copy, but the start of nothing: without binlog coordinates no later point is reachable.
            Diagnostics.print(
                "rewind backup create: warning: the server's binary log is off, so this backup has no binlog "
                    + "coordinates: it can be loaded as it is, but never rolled forward to a later point; turn "
                    + "log_bin on (deploy/ has the settings; `rewind status` checks them) and take a new backup")
        }
        switch self.format {
        case .text:
            Diagnostics.print(
                "backup \(manifest.id) complete: \(manifest.tables.count) tables, \(manifest.totalRows) rows, "
                    + "\(manifest.totalBytes) bytes; binlog \(manifest.binlog?.description ?? "off"), GTID "
                    + "\(manifest.gtidSet ?? "none")"
            )
            print(manifest.id)
        case .json:
            print(try BackupCatalogRenderer.summaryJSON(manifest, directory: location))
        }
    }
}
