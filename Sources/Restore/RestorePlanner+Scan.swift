import BinlogFormat
import Foundation
import Recovery

extension RestorePlanner {
    /// The planner's pass over the events: transactions in order, the stop, skips, rows per table, dependents.
    struct Scan {
        let options: RestoreOptions
        let fileNames: [String]
        let skipIDs: Set<String>
        var framer = TransactionFramer()
        var scope: DatabaseScope

        // The transaction being read.
        var current = Current()
        struct Current {
            var included = 0
            var statements = 0
            var rows = 0
            var tables: [String: RestorePlan.TableRows] = [:]
            var keys: [RowKey] = []
            var rolledBack = false
            var dependsOn: [String: (skipped: String, rows: Int, byKeys: Set<String>)] = [:]
            /// Tables of ``dependsOn`` that a skipped transaction changed by a statement.
            var wholeTables: Set<String> = []
        }

        // Results.
        var applied = 0
        var statements = 0
        var notRestored = 0
        var unplaced: [RestorePlan.Unplaced] = []
        var unplacedCount = 0
        var tables: [String: RestorePlan.TableRows] = [:]
        var lastApplied: RestorePlan.Transaction?
        var firstNotApplied: RestorePlan.Transaction?
        var skipped: [RestorePlan.Transaction] = []
        var skippedFound: Set<String> = []
        var skipStarts: Set<ChainPosition> = []
        var dependents: [RestorePlan.Dependent] = []
        var skippedKeys: [RowKey: String] = [:]
        /// Tables a skipped transaction changed by a statement (lower-cased `db.table`), with its id.
        var skippedTables: [String: String] = [:]
        /// Where the replay stops (the first transaction not applied starts here).
        var stoppedAt: ChainPosition?
        var stopFound = false
        /// A transaction still open when the binlogs end.
        var openAtEnd: RestorePlan.Transaction?
        var openStart: ChainPosition?

        /// Triggers of the backup this restore does not load: a statement-format change of their tables is refused.
        var unloadedTriggers = BackupTriggers()
        /// The backup's unique keys (with `--skip`): a later row that takes a unique value a skipped change freed is
        /// a dependent.
        var uniqueKeys = BackupUniqueKeys()
        /// ``uniqueKeys`` as column indexes of a TABLE_MAP (worked out once per table definition, not per row event).
        var uniqueColumnsByMap: [TableMapEvent: [(name: String, columns: [Int])]] = [:]

        /// The backup's GTID state: no transaction after its coordinates may be in it.
        let backupGTIDs: GTIDSet?
        let backupID: String

        init(
            options: RestoreOptions, fileNames: [String], scope: DatabaseScope, backupGTIDs: GTIDSet? = nil,
            backupID: String = ""
        ) {
            self.options = options
            self.scope = scope
            self.fileNames = fileNames
            self.skipIDs = Set(options.skip.map(\.description))
            self.backupGTIDs = backupGTIDs
            self.backupID = backupID
        }

        /// The transaction a `--before` or `--until-position` stop is at: nothing of it is applied, but it is read to
        /// its end so that the plan can say how many rows it would have changed.
        var stopTransaction: TransactionFramer.Open?
        var stopTransactionRows = 0
        /// `--until-gtid`'s transaction is applied: the next transaction to start is the first not applied (read to
        /// its end, for its rows, as the stop transaction).
        var awaitingFirstNotApplied = false

        /// Whether the walk is past the stop, only finding and counting the first transaction not applied: an error
        /// there (a binlog damaged or still being written past the stop) does not concern the restore.
        var isPastTheStop: Bool { self.stopTransaction != nil || self.awaitingFirstNotApplied }

        /// Takes one event; `false` once the stop is reached (for a stop before a transaction: once its rows are
        /// counted).
        mutating func take(_ event: ChainReader.Event) throws -> Bool {
            let role = self.framer.observe(event.record, at: event.position)
            if let stopped = self.stopTransaction {
                return self.countStopRows(event, role: role, of: stopped)
            }
            if self.awaitingFirstNotApplied {
                guard role == .opens || role == .single, let open = self.framer.current else { return true }
                self.awaitingFirstNotApplied = false
                self.firstNotApplied = self.reference(open, rows: 0)
                self.stopTransaction = open
                return self.countStopRows(event, role: role, of: open)
            }
            guard role != .outside, let open = self.framer.current else { return true }
            if role == .opens || role == .single {
                if let gtid = open.gtid, let backupGTIDs = self.backupGTIDs, backupGTIDs.contains(gtid) {
                    // Replaying it would apply a change the backup already holds: these binlogs do not continue
                    // the backup (another server's, or a server whose binlog was reset since).
                    throw RestoreError(
                        .refused,
                        "transaction \(gtid) at \(self.fileNames[open.start.file]):\(open.start.offset) comes after "
                            + "backup \(self.backupID)'s binlog coordinates but is already in its GTID state "
                            + "(\(backupGTIDs)): these binlogs are not the continuation of this backup (another "
                            + "server's, or the binlog was reset since); give the binlogs of the server the backup "
                            + "was taken from"
                    )
                }
                self.current = Current()
                if self.isBeforeStop(open) {
                    self.stop(at: open.start, transaction: self.reference(open, rows: 0))
                    self.stopTransaction = open
                    return self.countStopRows(event, role: role, of: open)
                }
                self.openAtEnd = self.reference(open, rows: 0)
                self.openStart = open.start
            }
            try self.account(event, in: open)
            guard role == .closes || role == .single, let closing = self.framer.current else { return true }
            defer {
                self.framer.reset()
                self.openAtEnd = nil
                self.openStart = nil
            }
            return self.close(closing, end: ChainPosition(file: event.position.file, offset: event.record.endPosition))
        }

        /// The backup's unique keys of `table` as its column indexes; a key whose columns the TABLE_MAP does not name
        /// (no `binlog_row_metadata=FULL`, or altered since) is left out.
        mutating func uniqueColumns(of table: TableMapEvent) -> [(name: String, columns: [Int])] {
            if let cached = self.uniqueColumnsByMap[table] { return cached }
            let resolved = self.uniqueKeys.keys(database: table.database, table: table.table).compactMap {
                key -> (name: String, columns: [Int])? in
                let columns = key.columns.compactMap { column in
                    table.columns.firstIndex { $0.name?.lowercased() == column.lowercased() }
                }
                return columns.count == key.columns.count ? (key.name, columns) : nil
            }
            self.uniqueColumnsByMap[table] = resolved
            return resolved
        }

        /// A statement of a skipped transaction (DDL, statement-format DML) changes its tables as a whole, rows
        /// unknown: every later transaction that changes or names one of them depends on it (a skipped TRUNCATE, then
        /// inserts that reuse its ids; a skipped CREATE … SELECT, then a RENAME of that table).
        mutating func noteStatementDependency(_ query: QueryEvent, in open: TransactionFramer.Open) {
            let targets = StatementTargets(query.query, defaultDatabase: query.databaseName)
            guard targets.isUnderstood else { return }
            for table in targets.tables {
                let name = "\(table.database).\(table.table)"
                if self.isSkipped(open) {
                    self.skippedTables[name.lowercased()] = open.id(fileNames: self.fileNames)
                } else if let skipped = self.skippedTables[name.lowercased()] {
                    self.current.dependsOn[name] = (skipped, self.current.dependsOn[name]?.rows ?? 0, [])
                    self.current.wholeTables.insert(name)
                }
            }
        }

        /// Refuses a statement-format change (replayed as SQL) of a table whose triggers this restore does not load:
        /// on the source they fired and wrote rows the binlog does not hold; here they would not, and the proof, which
        /// hashes the tables the binlogs do not change, would not see it.
        func checkTriggers(_ query: QueryEvent, at position: ChainPosition, in open: TransactionFramer.Open) throws {
            guard !self.unloadedTriggers.isEmpty, !self.isSkipped(open), BackupTriggers.isDML(query.query) else {
                return
            }
            let targets = StatementTargets(query.query, defaultDatabase: query.databaseName)
            for table in targets.tables where self.scope.includes(database: table.database, table: table.table) {
                let triggers = self.unloadedTriggers.triggers(database: table.database, table: table.table)
                guard !triggers.isEmpty else { continue }
                throw RestoreError(
                    .refused,
                    "transaction \(open.id(fileNames: self.fileNames)) at \(self.fileNames[position.file]):"
                        + "\(position.offset) changes \(table.database).\(table.table) by a statement (binlog_format "
                        + "STATEMENT or MIXED), and its triggers (" + triggers.joined(separator: ", ")
                        + ") are not loaded by a restore with --database, --table "
                        + "or --into-database: replayed without them, the rows they wrote on the source would be "
                        + "missing. Restore without those options (into a scratch server, then copy the tables), or "
                        + "stop before this transaction"
                )
            }
        }

        /// Counts the rows (in scope) of the transaction the stop is at; `false` at its end.
        mutating func countStopRows(
            _ event: ChainReader.Event, role: TransactionFramer.Role, of open: TransactionFramer.Open
        ) -> Bool {
            if case .rows(let rows) = event.record.event, let table = event.context.tableMap(for: rows),
                self.scope.includes(database: table.database, table: table.table)
            {
                self.stopTransactionRows += (try? rows.rowCount(table: table)) ?? 0
                self.firstNotApplied = self.reference(open, rows: self.stopTransactionRows)
            }
            switch role {
            case .closes, .single: return false
            // Anything but the stop's own first event opening means its transaction ended without its commit (the
            // binlog was cut there).
            case .opens: return event.position == open.start
            case .inside, .outside: return true
            }
        }

        /// `--before TXN` and `--until-position`: whether the stop is at this transaction's start.
        func isBeforeStop(_ open: TransactionFramer.Open) -> Bool {
            switch self.options.stop {
            case .before(let id): return self.matches(open, id)
            case .untilPosition(let file, let offset):
                guard let index = self.fileNames.firstIndex(of: file) else { return false }
                return open.start >= ChainPosition(file: index, offset: offset)
            default: return false
            }
        }

        func matches(_ open: TransactionFramer.Open, _ id: TransactionID) -> Bool {
            switch id {
            case .gtid(let gtid): return open.gtid == gtid
            case .position(let file, let offset):
                return self.fileNames[open.start.file] == file && open.start.offset == offset
            }
        }

        mutating func stop(at start: ChainPosition, transaction: RestorePlan.Transaction?) {
            self.stoppedAt = start
            self.stopFound = true
            self.firstNotApplied = transaction
        }

        func reference(_ open: TransactionFramer.Open, rows: Int) -> RestorePlan.Transaction {
            let committed: Date =
                open.commitMicros.map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
                ?? Date(timeIntervalSince1970: Double(open.lastTimestamp))
            return RestorePlan.Transaction(
                id: open.id(fileNames: self.fileNames),
                position: "\(self.fileNames[open.start.file]):\(open.start.offset)", committedAt: committed, rows: rows)
        }

        var isSkipping: Bool { !self.skipIDs.isEmpty }

        func isSkipped(_ open: TransactionFramer.Open) -> Bool {
            self.skipIDs.contains(open.id(fileNames: self.fileNames))
                || self.skipIDs.contains("\(self.fileNames[open.start.file]):\(open.start.offset)")
        }

        /// Counts what one event of the open transaction changes.
        mutating func account(_ event: ChainReader.Event, in open: TransactionFramer.Open) throws {
            switch event.record.event {
            case .rows(let rows):
                guard let table = event.context.tableMap(for: rows) else {
                    throw RestoreError(
                        .failed,
                        "\(self.fileNames[event.position.file]) at byte \(event.position.offset): a row event without "
                            + "its TABLE_MAP (table id \(rows.tableID)); the binlog is damaged"
                    )
                }
                guard self.scope.includes(database: table.database, table: table.table) else { return }
                let count = try rows.rowCount(table: table)
                let name = "\(table.database).\(table.table)"
                var entry =
                    self.current.tables[name]
                    ?? RestorePlan.TableRows(
                        table: name, target: name, transactions: 1, inserted: 0, updated: 0, deleted: 0)
                switch rows.kind {
                case .insert: entry.inserted += count
                case .update: entry.updated += count
                case .delete: entry.deleted += count
                }
                self.current.tables[name] = entry
                self.current.rows += count
                self.current.included += 1
                if self.isSkipping, !self.isSkipped(open), let skipped = self.skippedTables[name.lowercased()] {
                    self.current.dependsOn[name] = (
                        skipped, (self.current.dependsOn[name]?.rows ?? 0) + count, []
                    )
                    self.current.wholeTables.insert(name)
                } else if self.isSkipping, self.isSkipped(open) || !self.skippedKeys.isEmpty {
                    // (Before the first skipped transaction there is nothing to compare the rows with.)
                    let unique = self.uniqueColumns(of: table)
                    let changed = try RowKey.rows(of: rows, table: table, uniqueKeys: unique)
                    if self.isSkipped(open) {
                        self.current.keys += changed.flatMap { $0 }
                    } else if !self.skippedKeys.isEmpty {
                        var shared = 0
                        var skippedID = ""
                        var byKeys = self.current.dependsOn[name]?.byKeys ?? []
                        for row in changed {
                            var hit = false
                            for key in row {
                                guard let id = self.skippedKeys[key] else { continue }
                                hit = true
                                skippedID = id
                                if !key.key.isEmpty { byKeys.insert(key.key) }
                            }
                            if hit { shared += 1 }
                        }
                        if shared > 0 {
                            let previous = self.current.dependsOn[name]?.rows ?? 0
                            self.current.dependsOn[name] = (skippedID, previous + shared, byKeys)
                        }
                    }
                }
            case .transactionPayload:
                throw RestoreError(
                    .refused,
                    "\(self.fileNames[event.position.file]) at byte \(event.position.offset): a compressed transaction "
                        + "(MySQL binlog_transaction_compression); rewind restore does not replay those yet: restore "
                        + "with `mysqlbinlog | mysql` from this point, or turn compression off"
                )
            case .query(let query):
                if query.isBegin || query.isCommit || query.isXAStart { return }
                if query.isRollback {
                    self.current.rolledBack = true
                    return
                }
                if self.scope.admits(query) {
                    try self.checkTriggers(query, at: event.position, in: open)
                    if self.isSkipping { self.noteStatementDependency(query, in: open) }
                    self.current.statements += 1
                    self.current.included += 1
                } else if BackupTriggers.createsTrigger(query.query) {
                    // A trigger created after the backup that this restore does not replay (`--table`): like the
                    // backup's, a later statement on its table would be replayed without it.
                    self.unloadedTriggers.add(
                        triggersFile: String(decoding: query.query, as: UTF8.self), database: query.databaseName)
                } else if !self.isSkipped(open), DatabaseScope.isUnplaced(query) {
                    self.unplacedCount += 1
                    if self.unplaced.count < RestorePlan.unplacedListLimit {
                        let text = RestorePlan.Unplaced.redacted(
                            String(decoding: query.query.prefix(400), as: UTF8.self)
                                .split(whereSeparator: \.isNewline).joined(separator: " "))
                        self.unplaced.append(
                            RestorePlan.Unplaced(
                                position: "\(self.fileNames[event.position.file]):\(event.position.offset)",
                                statement: text.count > 200 ? String(text.prefix(200)) + "…" : text))
                    }
                }
            default:
                return
            }
        }

        /// Ends the open transaction; `false` once the stop is reached.
        mutating func close(_ open: TransactionFramer.Open, end: ChainPosition) -> Bool {
            let reference = self.reference(open, rows: self.current.rows)
            if case .untilDatetime(let date) = self.options.stop, let committed = reference.committedAt,
                committed.timeIntervalSince1970.rounded(.down) > date.timeIntervalSince1970.rounded(.down)
            {
                self.stop(at: open.start, transaction: reference)
                return false
            }
            if case .untilPosition(let file, let offset) = self.options.stop,
                let index = self.fileNames.firstIndex(of: file), end > ChainPosition(file: index, offset: offset)
            {
                self.stop(at: open.start, transaction: reference)
                return false
            }
            let id = reference.id
            if self.isSkipped(open) {
                self.skipped.append(reference)
                self.skippedFound.insert(id)
                self.skippedFound.insert(reference.position)
                self.skipStarts.insert(open.start)
                for key in self.current.keys { self.skippedKeys[key] = id }
            } else if self.current.included > 0, !self.current.rolledBack {
                self.applied += 1
                self.statements += self.current.statements
                self.lastApplied = reference
                for (name, rows) in self.current.tables {
                    if var total = self.tables[name] {
                        total.transactions += 1
                        total.inserted += rows.inserted
                        total.updated += rows.updated
                        total.deleted += rows.deleted
                        self.tables[name] = total
                    } else {
                        self.tables[name] = rows
                    }
                }
                for (table, link) in self.current.dependsOn.sorted(by: { $0.key < $1.key }) {
                    self.dependents.append(
                        RestorePlan.Dependent(
                            transaction: reference, skipped: link.skipped, table: table, sharedRows: link.rows,
                            wholeTable: self.current.wholeTables.contains(table) ? true : nil,
                            uniqueKeys: link.byKeys.isEmpty ? nil : link.byKeys.sorted()))
                }
            } else {
                // Nothing restored, or rolled back: the replay passes over it.
                self.notRestored += 1
                self.skipStarts.insert(open.start)
            }
            if case .untilGTID(let gtid) = self.options.stop, open.gtid == gtid {
                self.stop(at: end, transaction: nil)
                self.awaitingFirstNotApplied = true
            }
            return true
        }
    }
}
