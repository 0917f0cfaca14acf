import Backup
import BinlogFormat
import Foundation
import Recovery

/// Reads the backup's manifest and the binlogs from its coordinates, resolves the stop point and the skipped
/// transactions, counts what each table receives, and finds later transactions that depend on skipped ones. It
/// reads only files: every refusal that depends on the backup or the binlogs is raised here, before any server is
/// contacted.
public enum RestorePlanner {
    /// Makes the plan.
    ///
    /// - Throws: ``RestoreError/Code/refused`` (incomplete backup, gaps, a stop outside the window, unknown
    ///   transactions, dependents without `allowDependent`), or a decoding error naming file and byte.
    /// - Parameter refusingDependents: throw ``dependentsRefusal(_:options:)`` (the CLI prints the plan first, so
    ///   that `--dry-run` shows the dependents it names).
    public static func plan(_ options: RestoreOptions, refusingDependents: Bool = true) async throws -> RestorePlan {
        let manifest: BackupManifest
        do {
            manifest = try await BackupManifest.read(from: options.backup)
        } catch {
            throw RestoreError(.refused, "--backup \(options.backup.location): \(error)")
        }
        guard manifest.state == .complete else {
            throw RestoreError(
                .refused,
                "backup \(manifest.id) in \(options.backup.location) is incomplete ("
                    + (manifest.error ?? "it did not finish")
                    + "): it is never restored; use an older complete backup (`rewind backup list`)"
            )
        }
        do {
            _ = try await BackupVerifier.verify(options.backup)
        } catch {
            throw RestoreError(
                .refused,
                "backup \(manifest.id) fails verification: \(error); use another backup (`rewind backup list`)")
        }
        try Self.checkNamedObjects(options, manifest: manifest)
        let chain = try RestoreChain.resolve(options.binlogs, manifest: manifest)
        let coordinates = manifest.binlog!
        let fileNames = chain.files.map(\.name)
        try self.checkStopAgainstBackup(options.stop, manifest: manifest, fileNames: fileNames)

        let selection = manifest.selecting(options.loadOptions)
        var plan = RestorePlan(
            backup: RestorePlan.Backup(
                id: manifest.id, directory: options.backup.location, snapshotAt: manifest.snapshotAt,
                binlog: coordinates.description, gtidSet: manifest.gtidSet, tables: selection.tables.count,
                rows: selection.totalRows),
            files: [], stop: options.stop.description, lastApplied: nil, firstNotApplied: nil,
            stopReason: "the end of the binlogs", transactions: 0, statements: 0, rows: [], skipped: [],
            dependent: [], notRestored: 0, renames: options.renames, checks: [], chainBreak: nil)

        let scope = DatabaseScope(backupDatabases: selection.databases.map(\.name), options: options)
        var scan = Scan(
            options: options, fileNames: fileNames, scope: scope, backupGTIDs: manifest.gtidSet.flatMap(GTIDSet.init),
            backupID: manifest.id)
        var triggers = BackupTriggers()
        for database in selection.databases {
            guard let file = database.triggersFile else { continue }
            guard let bytes = try await options.backup.read(file) else {
                throw RestoreError(
                    .refused, "backup \(manifest.id) lists \(file), which is not in \(options.backup.location)")
            }
            triggers.add(triggersFile: String(decoding: bytes, as: UTF8.self), database: database.name)
        }
        if !options.skip.isEmpty {
            // The binlog names primary keys only; a skipped change may free a value of another unique key.
            for table in selection.tables {
                guard let bytes = try await options.backup.read(table.schemaFile) else {
                    throw RestoreError(
                        .refused,
                        "backup \(manifest.id) lists \(table.schemaFile), which is not in \(options.backup.location)")
                }
                scan.uniqueKeys.add(
                    createTable: String(decoding: bytes, as: UTF8.self), database: table.database, table: table.table)
            }
        }
        if options.loadOptions.loadsSchemaObjects {
            plan.triggeredTables = triggers.tables
        } else {
            scan.unloadedTriggers = triggers
        }
        let reader = ChainReader(
            chain: chain, start: ChainPosition(file: 0, offset: coordinates.position),
            verifyChecksums: options.verifyChecksums)
        var lastRead = ChainPosition(file: 0, offset: coordinates.position)
        do {
            try reader.walk { event in
                lastRead = ChainPosition(file: event.position.file, offset: event.record.endPosition)
                return try scan.take(event)
            }
        } catch  where scan.isPastTheStop {
            // Past the stop, the walk only counts the rows of the transaction not applied: binlogs damaged or still
            // being written there do not concern this restore (the count is then what could be read).
        }
        plan.files = chain.files.enumerated().compactMap { index, file in
            guard index <= (scan.stoppedAt?.file ?? lastRead.file) else { return nil }
            let to: UInt64? = index == (scan.stoppedAt?.file ?? -1) ? scan.stoppedAt?.offset : nil
            return RestorePlan.FileRange(
                name: file.name, path: file.path, from: index == 0 ? coordinates.position : 4, to: to,
                state: file.state?.rawValue)
        }
        if let open = scan.openAtEnd, scan.stoppedAt == nil {
            plan.firstNotApplied = open
            plan.stopReason = "it is incomplete at the end of the binlogs (still being written, or cut off)"
            scan.stoppedAt = scan.openStart
        }
        try self.resolveStop(options, chain: chain, scan: scan, plan: &plan)
        for skip in options.skip where !scan.skippedFound.contains(skip.description) {
            throw RestoreError(
                .refused,
                "--skip \(skip): no such transaction between the backup's snapshot (\(coordinates)) and the stop "
                    + "point; `rewind timeline --binlogs …` lists the transactions and their ids"
            )
        }
        plan.lastApplied = scan.lastApplied
        plan.transactions = scan.applied
        plan.statements = scan.statements
        plan.notRestored = scan.notRestored
        plan.unplaced = scan.unplaced
        plan.unplacedCount = scan.unplacedCount
        plan.skipped = scan.skipped
        plan.dependent = scan.dependents
        plan.skipStarts = scan.skipStarts
        plan.stopBefore = scan.stoppedAt
        plan.scope = scope
        plan.rows = scan.tables.keys.sorted().map { name in
            var rows = scan.tables[name]!
            if let table = QualifiedName(rows.table) {
                rows.target = "\(options.targetName(of: table.database)).\(table.table)"
            }
            return rows
        }
        if let breakPoint = chain.breakPoint { plan.chainBreak = "\(breakPoint.message) (\(breakPoint.advice))" }
        if refusingDependents, let refusal = Self.dependentsRefusal(plan, options: options) { throw refusal }
        plan.checks = [
            "the progress record on the target counts \(plan.transactions) applied transactions",
            "every restored table that no applied transaction changes hashes equal to backup \(manifest.id)",
        ]
        return plan
    }

    /// Refuses a `--database`, `--table` or `--into-database` that names nothing in the backup: a typo would
    /// otherwise restore nothing and still end with "ok".
    static func checkNamedObjects(_ options: RestoreOptions, manifest: BackupManifest) throws {
        let databases = Set(manifest.databases.map(\.name))
        let held =
            "backup \(manifest.id) holds "
            + (databases.isEmpty ? "no database" : databases.sorted().joined(separator: ", "))
        for database in options.databases where !databases.contains(database) {
            throw RestoreError(
                .refused, "--database \(database): no such database in the backup (\(held)); check the name")
        }
        for database in options.renames.keys.sorted() where !databases.contains(database) {
            throw RestoreError(
                .refused,
                "--into-database \(database)=\(options.renames[database] ?? ""): no such database in the backup (\(held)); "
                    + "check the name")
        }
        let tables = Set(manifest.tables.map { "\($0.database).\($0.table)" })
        let views = Set(manifest.databases.flatMap { database in database.views.map { "\(database.name).\($0)" } })
        for table in options.tables where !tables.contains(table.description) && !views.contains(table.description) {
            throw RestoreError(
                .refused,
                "--table \(table): no such table in backup \(manifest.id); check the name (`rewind backup list "
                    + "--format json` shows the backup's tables)")
        }
    }

    /// Refuses stops that lie before the backup's snapshot.
    private static func checkStopAgainstBackup(_ stop: RestoreStop, manifest: BackupManifest, fileNames: [String])
        throws
    {
        let coordinates = manifest.binlog!
        switch stop {
        case .untilDatetime(let date):
            if let snapshot = manifest.snapshotAt, date < snapshot.addingTimeInterval(-1) {
                throw RestoreError(
                    .refused,
                    "\(stop) is before backup \(manifest.id)'s snapshot (\(RestorePlan.timestamp(snapshot))): this "
                        + "backup reaches from its snapshot on; use an older backup (`rewind window` shows which "
                        + "reaches that time)"
                )
            }
        case .untilPosition(let file, _) where !fileNames.contains(file):
            throw RestoreError(
                .refused,
                "\(stop): \(file) is not among the binlogs given, which run from \(coordinates) through "
                    + "\(fileNames.last ?? coordinates.file) (backup \(manifest.id) starts at \(coordinates)); give a "
                    + "position in one of them, or the binlogs that hold \(file)"
            )
        case .untilPosition(let file, let offset):
            if file == coordinates.file && offset < coordinates.position {
                throw RestoreError(
                    .refused,
                    "\(stop) is not after backup \(manifest.id)'s snapshot at \(coordinates) (the binlogs given run "
                        + "from \(coordinates) through \(fileNames.last ?? coordinates.file)); use an older backup "
                        + "or a position in that range"
                )
            }
        case .untilGTID(let gtid), .before(.gtid(let gtid)):
            if Self.gtid(gtid, isIn: manifest.gtidSet) {
                throw RestoreError(
                    .refused,
                    "\(stop): \(gtid) is already in backup \(manifest.id) (its GTID state is \(manifest.gtidSet ?? "")); "
                        + "use an older backup to stop before it (`rewind backup list`)"
                )
            }
        case .before(.position(let file, let offset)):
            if !fileNames.contains(file) || (file == coordinates.file && offset < coordinates.position) {
                throw RestoreError(
                    .refused,
                    "\(stop) is not after backup \(manifest.id)'s snapshot at \(coordinates); use an older backup"
                )
            }
        case .end:
            break
        }
    }

    /// The refusal of a plan whose later transactions depend on a skipped one (``RestorePlan/dependent``), unless
    /// `--allow-dependent`; `nil` when there is none.
    public static func dependentsRefusal(_ plan: RestorePlan, options: RestoreOptions) -> RestoreError? {
        guard !plan.dependent.isEmpty, !options.allowDependent else { return nil }
        let list = plan.dependent.prefix(5).map { "\($0.transaction.id) (\($0.shared))" }
        return RestoreError(
            .refused,
            "\(plan.dependent.count) later transaction\(plan.dependent.count == 1 ? " depends" : "s depend") on a "
                + "skipped one: \(list.joined(separator: ", "))\(plan.dependent.count > 5 ? ", …" : ""). Applying "
                + "them without it may fail or give rows that never existed; look at them with `rewind restore "
                + "--dry-run` (the plan lists each), skip them too, stop --before the first, or pass "
                + "--allow-dependent"
        )
    }

    /// Whether a MariaDB GTID is covered by a `gtid_binlog_pos`-style state (`d-s-n,…`).
    static func gtid(_ gtid: GTID, isIn state: String?) -> Bool {
        guard case .mariadb(let domain, _, let sequence) = gtid, let state else { return false }
        for part in state.split(separator: ",") {
            let fields = part.trimmingCharacters(in: .whitespaces).split(separator: "-")
            if fields.count == 3, UInt32(fields[0]) == domain, let last = UInt64(fields[2]), sequence <= last {
                return true
            }
        }
        return false
    }

    private static func resolveStop(_ options: RestoreOptions, chain: RestoreChain, scan: Scan, plan: inout RestorePlan)
        throws
    {
        let breakNote = chain.breakPoint.map { " The chain breaks: \($0.message); \($0.advice)." } ?? ""
        switch options.stop {
        case .end:
            if let breakPoint = chain.breakPoint {
                throw RestoreError(
                    .refused,
                    "the binlogs cannot be replayed to their end: \(breakPoint.message); \(breakPoint.advice). Give a "
                        + "stop point before \(breakPoint.file):\(breakPoint.offset) (--until-…) to restore up to there"
                )
            }
        case .untilDatetime:
            if scan.stoppedAt == nil || scan.stopFound == false, let breakPoint = chain.breakPoint {
                throw RestoreError(
                    .refused,
                    "\(options.stop) is after the last transaction the binlogs reach unbroken (before "
                        + "\(breakPoint.file):\(breakPoint.offset)): \(breakPoint.message); \(breakPoint.advice)"
                )
            }
        case .untilGTID, .before:
            if !scan.stopFound {
                throw RestoreError(
                    .refused,
                    "\(options.stop): no such transaction after backup \(plan.backup.id)'s snapshot "
                        + "(\(plan.backup.binlog)) in the binlogs given.\(breakNote) `rewind timeline --binlogs …` "
                        + "lists the transactions and their ids"
                )
            }
        case .untilPosition(let file, let offset):
            if !scan.stopFound, let breakPoint = chain.breakPoint {
                throw RestoreError(
                    .refused,
                    "\(options.stop) is beyond where the binlogs reach unbroken (\(breakPoint.file):"
                        + "\(breakPoint.offset)): \(breakPoint.message); \(breakPoint.advice)"
                )
            }
            // A position past the end of its file means nothing: refused, not read as "the end".
            if let path = chain.files.first(where: { $0.name == file })?.path,
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value,
                offset > size
            {
                throw RestoreError(
                    .refused,
                    "\(options.stop) is past the end of \(file) (\(size) bytes); give a position inside it "
                        + "(`rewind timeline` prints where each transaction starts and ends)"
                )
            }
        }
        if scan.stopFound {
            // (`--until-gtid` of the last transaction: none is left unapplied, but the stop point is still why.)
            plan.firstNotApplied = scan.firstNotApplied
            plan.stopReason = "the stop point (\(options.stop))"
        } else if case .untilDatetime = options.stop, plan.firstNotApplied == nil {
            // A time after everything the binlogs hold: the restore goes to their end, which is not the time asked
            // for when binlogs are missing (an archive that lags, files not given).
            let last = scan.lastApplied?.committedAt.map(RestorePlan.timestamp) ?? "no transaction"
            plan.stopReason =
                "the end of the binlogs, before \(options.stop): the last transaction in them committed at \(last); "
                + "changes after that are in binlogs not given here (an archive behind the server, newer files)"
        }
    }
}

extension RestoreOptions {
    /// The backup load this restore does.
    var loadOptions: BackupLoadOptions {
        let copy = self
        return BackupLoadOptions(
            backup: self.backup,
            threads: max(1, self.threads),
            force: self.force,
            includeDatabase: { copy.includes(database: $0) },
            includeTable: { copy.includes(database: $0, table: $1) },
            renames: self.renames,
            loadsSchemaObjects: !self.isFiltered && self.renames.isEmpty
        )
    }
}
