import ArgumentParser
import BackupStorage
import BinlogFormat
import Foundation
import Logging
import Recovery
import Restore

/// `rewind restore --backup DIR/<id>|s3://bucket/prefix/<id> --binlogs DIR|s3://… [connection of the target] …`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup plus its binlogs into a server, up to any point, leaving out bad transactions.",
        discussion: """
            Plans first, from files only: the backup (complete, every chunk's hash checked), the binlog chain from \
            the backup's coordinates (no gap, no incomplete file, no GTID jump before the stop), the stop point and \
            the skipped transactions (later ones that touch their rows are refused without --allow-dependent). \
            Then checks the target (not the backup's source unless every database is renamed; no table the \
            restore creates; BINLOG allowed), loads the backup, replays the transactions as BINLOG statements in \
            commit order, and proves the result. Exit status: 0 done and proved; 2 refused (nothing was written); \
            1 failed during the apply or the proof did not hold; 130 interrupted (run the same command again to \
            continue). --dry-run prints the plan and runs the target's checks only.
            """
    )

    @Option(help: "The backup: DIR/<id> or s3://bucket/prefix/<id>, as `rewind backup list` shows.")
    var backup: String

    @Option(
        help: ArgumentHelp(
            "A rewind archive directory or s3://bucket/prefix, a directory of binlog files, or a binlog file "
                + "(repeatable, in order)."
        )
    )
    var binlogs: [String] = []

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(
        help: "Stop at the last transaction committed at or before this time (binlog commit times, 1 s resolution).")
    var untilDatetime: DateTimeArgument?

    @Option(help: "Stop after the transaction with this GTID (included).")
    var untilGtid: String?

    @Option(help: "Stop at FILE:POS: every transaction that ends at or before it.")
    var untilPosition: String?

    @Option(
        help: "Stop just before this transaction: a GTID or FILE:POS where it starts (as `rewind timeline` prints).")
    var before: TransactionID?

    @Option(help: "Leave out this transaction (GTID or FILE:POS; repeatable).")
    var skip: [TransactionID] = []

    @Flag(help: "Apply later transactions that touch rows of a skipped one.")
    var allowDependent = false

    @Option(name: [.customLong("database"), .customShort("d")], help: "Restore only this database (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("table"), help: "Restore only this table, DB.T (repeatable).")
    var tables: [String] = []

    @Option(name: .customLong("into-database"), help: "Restore database OLD under the name NEW: OLD=NEW (repeatable).")
    var intoDatabase: [String] = []

    @Option(help: "Times without a zone are in this zone: UTC (default), SYSTEM, +02:00, Europe/Paris.")
    var timezone: TimeZoneArgument = TimeZoneArgument(argument: "UTC")!

    @Flag(help: "Print the plan and check the target; change nothing.")
    var dryRun = false

    @Flag(help: "Replace tables the target already holds.")
    var force = false

    @Option(help: "Connections for the backup load and the checks (default 4).")
    var threads: Int = 4

    @Flag(help: "Do not verify binlog event checksums.")
    var noVerifyChecksums = false

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        let stops = [self.untilDatetime != nil, self.untilGtid != nil, self.untilPosition != nil, self.before != nil]
        guard stops.filter({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --until-datetime, --until-gtid, --until-position, --before")
        }
        guard !self.binlogs.isEmpty else {
            throw ValidationError("--binlogs is required (an archive directory, a directory of binlogs, or files)")
        }
        if let gtid = self.untilGtid, GTID(gtid) == nil {
            throw ValidationError("--until-gtid \(gtid) is not a GTID (uuid:n or domain-server-seq)")
        }
        if let position = self.untilPosition, Self.position(position) == nil {
            throw ValidationError("--until-position \(position) is not FILE:POS")
        }
        for table in self.tables where QualifiedName(table) == nil {
            throw ValidationError("--table \(table) is not DB.TABLE")
        }
        for rename in self.intoDatabase where Self.rename(rename) == nil {
            throw ValidationError("--into-database \(rename) is not OLD=NEW")
        }
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be 1…64") }
    }

    static func position(_ text: String) -> (String, UInt64)? {
        guard let colon = text.lastIndex(of: ":"), let offset = UInt64(text[text.index(after: colon)...]) else {
            return nil
        }
        let file = String(text[..<colon])
        guard !file.isEmpty else { return nil }
        return (file.split(separator: "/").last.map(String.init) ?? file, offset)
    }

    static func rename(_ text: String) -> (String, String)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// `--binlogs`, with an `s3://` archive replaced by the local directory its files are joined into.
    private func localBinlogs() async throws -> [String] {
        var local: [String] = []
        for path in self.binlogs { local.append(try await self.objectStorage.localArchive(path)) }
        return local
    }

    func options(backup: any BackupStore) -> RestoreOptions {
        var stop = RestoreStop.end
        if let date = self.untilDatetime {
            stop = .untilDatetime(
                Date(timeIntervalSince1970: TimeInterval(date.epochSeconds(in: self.timezone.timeZone))))
        } else if let gtid = self.untilGtid.flatMap(GTID.init) {
            stop = .untilGTID(gtid)
        } else if let (file, offset) = self.untilPosition.flatMap(Self.position) {
            stop = .untilPosition(file: file, offset: offset)
        } else if let before = self.before {
            stop = .before(before)
        }
        return RestoreOptions(
            backup: backup, binlogs: self.binlogs, stop: stop, skip: self.skip,
            allowDependent: self.allowDependent, databases: self.databases,
            tables: self.tables.compactMap(QualifiedName.init),
            renames: Dictionary(self.intoDatabase.compactMap(Self.rename), uniquingKeysWith: { $1 }), force: self.force,
            threads: self.threads, verifyChecksums: !self.noVerifyChecksums)
    }

    func run() async throws {
        do {
            try await self.objectStorage.withBackupStore(self.backup) { try await self.run(backup: $0) }
        } catch let error as ExitCode {
            throw error
        } catch {
            Diagnostics.print("rewind restore: --backup \(self.backup): \(error)")
            throw ExitCode(2)
        }
    }

    private func run(backup: any BackupStore) async throws {
        var options = self.options(backup: backup)
        let plan: RestorePlan
        do {
            options.binlogs = try await self.localBinlogs()
            plan = try await RestorePlanner.plan(options, refusingDependents: false)
        } catch let error as RestoreError {
            Diagnostics.print("rewind restore: \(error)")
            throw ExitCode(error.exitStatus)
        } catch {
            Diagnostics.print("rewind restore: \(error)")
            throw ExitCode(error is RestoreError ? 1 : 2)
        }
        let configuration = try self.connection.makeConfiguration()
        var logger = Logger(label: "rewind.restore")
        logger.logLevel = .warning
        if self.format == .text {
            Self.printPlan(plan, target: configuration.endpoint.description, dryRun: self.dryRun)
        }
        if let refusal = RestorePlanner.dependentsRefusal(plan, options: options) {
            // After the plan, which lists each dependent (with --format json: the plan, no result).
            if self.format == .json {
                print("{\"plan\": " + String(decoding: try plan.encoded(), as: UTF8.self) + ", \"result\": null}")
            }
            Diagnostics.print("rewind restore: \(refusal)")
            throw ExitCode(refusal.exitStatus)
        }
        let cancelled = CancelFlag()
        let canceller = SignalCanceller { cancelled.set() }
        defer { canceller.stop() }
        let progress = RestoreLog()
        let started = Date()
        let result: RestoreResult?
        do {
            result = try await RestoreApplier.run(
                plan: plan, options: options, configuration: configuration, dryRun: self.dryRun, logger: logger,
                report: { event in
                    switch event {
                    case .step(let text):
                        progress.finish()
                        if Diagnostics.isTerminal {
                            Diagnostics.print(text)
                        } else {
                            Diagnostics.print("step=\"\(text)\"")
                        }
                    case .applied(let transactions, let total, let bytes, let totalBytes):
                        let elapsed = Date().timeIntervalSince(started)
                        let eta =
                            bytes > 0 && totalBytes > bytes
                            ? Int(elapsed * Double(totalBytes - bytes) / Double(bytes)) : 0
                        if Diagnostics.isTerminal {
                            progress.update(
                                "applied \(transactions)/\(total) transactions, \(bytes >> 20)/\(totalBytes >> 20) MiB of "
                                    + "binlog, ETA \(eta) s")
                        } else {
                            Diagnostics.print(
                                "applied=\(transactions) planned=\(total) binlog_bytes=\(bytes) binlog_total=\(totalBytes) eta_s=\(eta)"
                            )
                        }
                    }
                },
                isCancelled: { cancelled.isSet })
        } catch let error as RestoreError {
            progress.finish()
            Diagnostics.print("rewind restore: \(error)")
            throw ExitCode(error.exitStatus)
        } catch {
            progress.finish()
            Diagnostics.print("rewind restore: \(error)")
            throw ExitCode(1)
        }
        progress.finish()
        switch self.format {
        case .json:
            var object = "{\"plan\": " + String(decoding: try plan.encoded(), as: UTF8.self)
            if let result {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                object += ", \"result\": " + String(decoding: try encoder.encode(result), as: UTF8.self)
            } else {
                object += ", \"result\": null"
            }
            print(object + "}")
        case .text:
            guard let result else {
                print("dry run: the target \(configuration.endpoint) passed the checks; nothing was changed")
                return
            }
            print(
                "restored into \(result.target): backup \(plan.backup.id) (\(result.loadedTables) tables, "
                    + "\(result.loadedRows) rows), then \(result.appliedTransactions) transactions "
                    + "(\(result.appliedRows) rows, \(result.appliedStatements) statements) in "
                    + String(format: "%.1f s", result.seconds)
                    + (result.resumed ? " (continued an interrupted restore)" : ""))
            for check in result.checks { print("  ok  \(check.name): \(check.detail)") }
        }
    }

    static func printPlan(_ plan: RestorePlan, target: String, dryRun: Bool) {
        var lines: [String] = []
        lines.append("plan\(dryRun ? " (dry run)" : ""): restore into \(target)")
        lines.append(
            "  backup     \(plan.backup.id) (\(plan.backup.tables) tables, \(plan.backup.rows) rows), snapshot at "
                + "\(plan.backup.snapshotAt.map(RestorePlan.timestamp) ?? "?") = \(plan.backup.binlog)")
        for file in plan.files {
            lines.append(
                "  binlog     \(file.name) bytes \(file.from)…\(file.to.map(String.init) ?? "end")"
                    + (file.state.map { " (\($0))" } ?? ""))
        }
        lines.append("  stop       \(plan.stop)")
        lines.append(
            "  last applied       \(plan.lastApplied.map { "\($0.id) at \($0.position), committed \($0.committedAt.map(RestorePlan.timestamp) ?? "?")" } ?? "none")"
        )
        lines.append(
            "  first not applied  \(plan.firstNotApplied.map { "\($0.id) at \($0.position), committed \($0.committedAt.map(RestorePlan.timestamp) ?? "?"), \($0.rows) rows" } ?? "none") — \(plan.stopReason)"
        )
        lines.append(
            "  apply      \(plan.transactions) transactions (\(plan.totalRows) rows, \(plan.statements) statements); \(plan.notRestored) others change nothing restored"
        )
        for table in plan.rows {
            lines.append(
                "    \(table.target)\(table.target != table.table ? " (from \(table.table))" : ""): "
                    + "\(table.transactions) transactions, +\(table.inserted) ~\(table.updated) -\(table.deleted) rows")
        }
        for skipped in plan.skipped {
            lines.append("  skip       \(skipped.id) at \(skipped.position) (\(skipped.rows) rows)")
        }
        for dependent in plan.dependent {
            lines.append(
                "  dependent  \(dependent.transaction.id) \(dependent.shared)"
            )
        }
        if plan.unplacedCount > 0 {
            lines.append(
                "  not replayed  \(plan.unplacedCount) statement\(plan.unplacedCount == 1 ? "" : "s") that no restored "
                    + "database owns (accounts, grants, statements on several databases); run them yourself if the "
                    + "target needs them:")
            for statement in plan.unplaced { lines.append("    \(statement.position)  \(statement.statement)") }
            if plan.unplacedCount > plan.unplaced.count {
                lines.append(
                    "    … and \(plan.unplacedCount - plan.unplaced.count) more (rewind binlog show lists them all)")
            }
        }
        for check in plan.checks { lines.append("  check      \(check)") }
        FileDescriptorWriter.writeAll(2, Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// Set once by a signal handler, read by the restore between transactions.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { self.lock.withLock { self.value = true } }
    var isSet: Bool { self.lock.withLock { self.value } }
}

/// The restore's progress line on a terminal (shared with the restore's report closure).
final class RestoreLog: @unchecked Sendable {
    private let lock = NSLock()
    private let progress = Progress()

    func update(_ text: String) { self.lock.withLock { self.progress.update(text) } }
    func finish() { self.lock.withLock { self.progress.finish() } }
}
