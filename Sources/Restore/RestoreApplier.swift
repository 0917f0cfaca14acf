import Backup
import BinlogFormat
import Checksum
import Foundation
import Logging
import MySQLWire
import NIOCore
import SQLRendering

/// `rewind restore`: loads the backup into the target, replays the planned transactions on it as `BINLOG`
/// statements (the row events themselves, exact for every type), and proves the result.
///
/// Transactions are applied in commit order on one connection. Without a binlog on the target (or on the source
/// itself, under --into-database) consecutive transactions are committed together in groups, each group with an
/// update of the progress record, so a restart continues after the last committed group; with a binlog, every
/// transaction keeps its original GTID (and carries the progress update), so the target's `gtid_binlog_pos` proves
/// what was applied too.
public enum RestoreApplier {
    /// Statements larger than this are never built; smaller of this and half the target's `max_allowed_packet`.
    /// (Bigger batches did not apply faster here and held more memory.)
    static let maximumBatch = 4 << 20
    /// Transactions committed together at most (without a binlog on the target); `REWIND_RESTORE_GROUP_TRANSACTIONS`
    /// changes it (tests use small groups to interrupt a restore between two of many).
    static let groupTransactions =
        ProcessInfo.processInfo.environment["REWIND_RESTORE_GROUP_TRANSACTIONS"].flatMap { Int($0) }.map { max(1, $0) }
        ?? 500
    static let groupBytes = 8 << 20
    /// Transactions queued for or held by parallel workers, in bytes of statements, at most (the reader waits).
    static let parallelPendingBytes = 12 << 20
    /// A test hook (`REWIND_RESTORE_PAUSE_AFTER_TRANSACTIONS=N`): once a commit has made N transactions durable, the
    /// restore stops making progress and waits to be killed, so that a test can kill it mid-apply deterministically.
    static let pauseAfterTransactions =
        ProcessInfo.processInfo.environment["REWIND_RESTORE_PAUSE_AFTER_TRANSACTIONS"].flatMap { Int($0) }

    /// Waits forever (until the process is killed) once `applied` reaches the test hook's count.
    static func pauseForTestsIfAsked(applied: Int) async {
        guard let count = Self.pauseAfterTransactions, applied >= count else { return }
        while true { try? await Task.sleep(for: .seconds(1)) }
    }

    public static func run(
        plan: RestorePlan,
        options: RestoreOptions,
        configuration: MySQLConnection.Configuration,
        dryRun: Bool,
        logger: Logger,
        report: @escaping @Sendable (RestoreEvent) -> Void = { _ in },
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) async throws -> RestoreResult? {
        let started = Date()
        let server = configuration.endpoint.description
        let chain = try RestoreChain.resolve(
            options.binlogs, manifest: try await BackupManifest.read(from: options.backup))
        let restoreID = Self.restoreID(plan: plan, options: options)
        let formatDescription = try Self.firstFormatDescription(chain)
        return try await MySQLConnection.withConnection(configuration: configuration, logger: logger) { control in
            let preflight = try await RestorePreflight.run(
                plan: plan, options: options, restoreID: restoreID, formatDescription: formatDescription,
                on: control, server: server)
            if dryRun { return nil }
            let keepGTIDs = preflight.isMariaDB && preflight.binlogOn && !preflight.isSource
            _ = try? await control.query("SET SESSION sql_log_bin = 0")
            var progress = preflight.progress
            let resumed = progress != nil
            let start = ChainPosition(
                file: 0, offset: UInt64(plan.backup.binlog.split(separator: ":").last.flatMap { UInt64($0) } ?? 4))
            if progress == nil {
                try await Self.run(
                    control, server: server,
                    [
                        "CREATE DATABASE IF NOT EXISTS `\(RestoreProgress.schema)`", RestoreProgress.create,
                        RestoreProgress.insert(id: restoreID, start: start),
                    ])
                progress = RestoreProgress(id: restoreID, phase: .load, applied: 0, position: start, pendingDDL: nil)
            }
            var loadedTables = 0
            var loadedRows: UInt64 = 0
            if progress?.phase == .load {
                report(
                    .step(
                        resumed
                            ? "loading backup \(plan.backup.id) again (the last run stopped during the load)"
                            : "loading backup \(plan.backup.id)"))
                var load = options.loadOptions
                load.force = options.force || resumed
                let summary: BackupLoadSummary
                do {
                    summary = try await BackupLoader.load(options: load, configuration: configuration, logger: logger)
                } catch {
                    throw RestoreError(.failed, "loading backup \(plan.backup.id) into \(server): \(error)")
                }
                loadedTables = summary.tables
                loadedRows = summary.rows
                try await Self.run(control, server: server, [RestoreProgress.update(applied: 0, position: start)])
                progress?.phase = .replay
                progress?.position = start
                report(
                    .step(
                        "backup loaded: \(summary.tables) tables, \(summary.rows) rows, every hash equal to the manifest"
                    ))
            } else {
                loadedTables = plan.backup.tables
                loadedRows = plan.backup.rows
            }

            let applied: Replay.Outcome
            if options.threads > 1, !keepGTIDs {
                report(
                    .step("applying with \(options.threads) connections (transactions on different rows in parallel)"))
                applied = try await Self.applyInParallel(
                    plan: plan, options: options, chain: chain, control: control, configuration: configuration,
                    server: server, packet: preflight.maxAllowedPacket, formatDescription: formatDescription,
                    progress: progress!, logger: logger, report: report, isCancelled: isCancelled)
            } else {
                var replay = Replay(
                    plan: plan, options: options, chain: chain, control: control, server: server, keepGTIDs: keepGTIDs,
                    packet: preflight.maxAllowedPacket, report: report, isCancelled: isCancelled)
                try await replay.prepareSession()
                applied = try await replay.run(from: progress!)
            }

            _ = try? await control.query("SET SESSION sql_log_bin = 0")
            report(.step("checking the result"))
            var checks = try await Self.prove(
                plan: plan, options: options, applied: applied, keepGTIDs: keepGTIDs, control: control, server: server)
            try await Self.run(control, server: server, ["DROP DATABASE IF EXISTS `\(RestoreProgress.schema)`"])
            checks.append(
                RestoreResult.Check(
                    name: "cleanup", passed: true, detail: "dropped the progress record `\(RestoreProgress.schema)`"))
            let result = RestoreResult(
                target: server, loadedTables: loadedTables, loadedRows: loadedRows,
                appliedTransactions: applied.transactions,
                appliedStatements: plan.statements, appliedRows: plan.totalRows, keptGTIDs: keepGTIDs, resumed: resumed,
                checks: checks, seconds: Date().timeIntervalSince(started))
            if let failed = checks.first(where: { !$0.passed }) {
                throw RestoreError(
                    .proofFailed, "the restore into \(server) did not prove out: \(failed.name): \(failed.detail)")
            }
            return result
        }
    }

    /// The apply with `options.threads` worker connections beside `control` (which reads, schedules, and applies
    /// in order what cannot run in parallel: statements, big transactions).
    static func applyInParallel(
        plan: RestorePlan, options: RestoreOptions, chain: RestoreChain, control: MySQLConnection,
        configuration: MySQLConnection.Configuration, server: String, packet: Int, formatDescription: [UInt8],
        progress: RestoreProgress, logger: Logger, report: @escaping @Sendable (RestoreEvent) -> Void,
        isCancelled: @escaping @Sendable () -> Bool
    ) async throws -> Replay.Outcome {
        try await Self.run(control, server: server, [RestoreProgress.createApplied])
        return try await MySQLConnection.withConnections(
            count: options.threads, configuration: configuration, logger: logger
        ) {
            connections in
            let statement = BinlogStatementBuilder.statementText(formatDescription)
            for connection in connections {
                do {
                    try await ParallelWorker.prepare(connection, formatDescriptionStatement: statement)
                } catch {
                    throw RestoreError(.failed, "\(server): preparing a worker connection: \(error)")
                }
            }
            let scheduler = ParallelScheduler(
                workers: connections.count, maximumPendingBytes: Self.parallelPendingBytes)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, connection) in connections.enumerated() {
                    group.addTask {
                        var worker = ParallelWorker(
                            index: index, connection: connection, server: server, scheduler: scheduler,
                            groupTransactions: Self.groupTransactions, groupBytes: Self.groupBytes)
                        await worker.run()
                    }
                }
                var replay = Replay(
                    plan: plan, options: options, chain: chain, control: control, server: server, keepGTIDs: false,
                    packet: packet, parallel: scheduler, workers: connections, report: report, isCancelled: isCancelled)
                let outcome: Replay.Outcome
                do {
                    try await replay.prepareSession()
                    outcome = try await replay.run(from: progress)
                } catch {
                    await scheduler.fail(error)
                    try? await group.waitForAll()
                    throw error
                }
                await scheduler.finish()
                try await group.waitForAll()
                if let failure = await scheduler.failure { throw failure }
                return outcome
            }
        }
    }

    /// The same command gives the same id: what is restored, from where, to where.
    static func restoreID(plan: RestorePlan, options: RestoreOptions) -> String {
        let identity = [
            plan.backup.id, plan.backup.binlog, plan.stop, options.skip.map(\.description).joined(separator: ","),
            options.databases.joined(separator: ","), options.tables.map(\.description).joined(separator: ","),
            options.renames.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
        ].joined(separator: "|")
        return String(XXHash64.hash(Array(identity.utf8)), radix: 16)
    }

    static func firstFormatDescription(_ chain: RestoreChain) throws -> [UInt8] {
        let reader = ChainReader(chain: chain, start: ChainPosition(file: 0, offset: 0), verifyChecksums: true)
        guard let event = try reader.next(), case .formatDescription = event.record.event else {
            throw RestoreError(
                .refused,
                "\(chain.files.first?.path ?? "the first binlog") does not start with a format description event")
        }
        return Array(event.bytes.readableBytesView)
    }

    static func run(_ connection: MySQLConnection, server: String, _ statements: [String]) async throws {
        for statement in statements {
            do {
                _ = try await connection.query(statement)
            } catch {
                throw RestoreError(.failed, "\(server): \(error) (while running \(statement.prefix(100)))")
            }
        }
    }

    /// The checks after the apply: the count of applied transactions (progress record or GTID state), and the
    /// hash of every restored table that nothing applied changed against the backup's manifest.
    static func prove(
        plan: RestorePlan, options: RestoreOptions, applied: Replay.Outcome, keepGTIDs: Bool,
        control: MySQLConnection, server: String
    ) async throws -> [RestoreResult.Check] {
        var checks: [RestoreResult.Check] = []
        let recorded = try await RestoreProgress.read(
            id: Self.restoreID(plan: plan, options: options), on: control, server: server)
        let count = recorded?.applied ?? -1
        checks.append(
            RestoreResult.Check(
                name: "applied-transactions",
                passed: count == plan.transactions && applied.transactions == plan.transactions,
                detail: "the progress record on the target counts \(count) applied transactions; the plan has "
                    + "\(plan.transactions)"))
        if keepGTIDs, let last = plan.lastApplied?.id, let gtid = GTID(last) {
            let position =
                try await RestorePreflight.query(control, server: server, "SELECT @@gtid_binlog_pos").first?[0].string
                ?? ""
            checks.append(
                RestoreResult.Check(
                    name: "gtid-state", passed: RestorePlanner.gtid(gtid, isIn: position),
                    detail: "the target's gtid_binlog_pos \(position) holds the last applied transaction \(last)"))
        }
        let manifest = try await BackupManifest.read(from: options.backup).selecting(options.loadOptions)
        let touched = Set(plan.rows.map(\.table)).union(applied.touchedByStatements)
        var equal = 0
        var differing: [String] = []
        for table in manifest.tables
        where !touched.contains(table.qualifiedName)
            && !applied.databasesTouchedByStatements.contains(table.database)
        {
            let columns = try table.columns.map { column -> TableColumn in
                guard let kind = SQLValueKind(token: column.kind) else {
                    throw RestoreError(.failed, "unknown column kind \(column.kind) in the manifest")
                }
                return TableColumn(name: column.name, kind: kind)
            }
            let hash: RowSetHash
            do {
                hash = try await TableChecksum.compute(
                    table: table.table, database: options.targetName(of: table.database), columns: columns, on: control)
            } catch {
                differing.append("\(table.qualifiedName) (\(error))")
                continue
            }
            if hash.hex == table.hash, hash.rows == table.rows {
                equal += 1
            } else {
                differing.append(
                    "\(options.targetName(of: table.database)).\(table.table): \(hash.rows) rows, hash \(hash.hex); backup: \(table.rows) rows, hash \(table.hash)"
                )
            }
        }
        checks.append(
            RestoreResult.Check(
                name: "untouched-tables", passed: differing.isEmpty,
                detail: differing.isEmpty
                    ? "\(equal) restored tables that no applied transaction changed hash equal to backup \(plan.backup.id)"
                    : "differ from the backup: " + differing.joined(separator: "; ")))
        return checks
    }
}
