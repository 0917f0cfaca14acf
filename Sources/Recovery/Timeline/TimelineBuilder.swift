import BinlogFormat

/// Turns decoded events (with their file and position) into ``TimelineTransaction``s: pure, no I/O.
///
/// Grouping is ``TransactionTracker``'s (the one definition of a transaction). On top of it the builder follows
/// the schema (column names for binlogs without them) and the row counts of tables (a backup's counts, or 0 for
/// a table created in the window, plus every change since), and flags what looks destructive: every reason but
/// `rate_spike`, which needs the whole window (``RateSpikeDetector``).
///
/// Feed every event of the window in order (``observe(_:fileName:context:)``), call ``endOfFile()`` after each
/// file; each call returns the transactions that ended.
public struct TimelineBuilder: Sendable {
    public var thresholds: TimelineThresholds
    /// Statement texts kept in ``TimelineTransaction/statements`` are cut to this many bytes (`nil`: whole). Reasons
    /// are always judged on the whole text.
    public var statementLimit: Int?
    public private(set) var schema: SchemaTracker
    /// Known row counts (after the transactions returned so far).
    public private(set) var rowCounts: [QualifiedTable: Int]
    private var tracker: TransactionTracker
    private var pending = Pending()

    /// What the tracker does not keep: table-map column names and each statement's default database.
    private struct Pending: Sendable {
        var fileName = ""
        var tableMaps: [QualifiedTable: (count: Int, names: [String]?)] = [:]
        var statementDatabases: [String] = []
    }

    /// - Parameters:
    ///   - schema: column names known before the first event (a backup's schema), followed through the DDL after.
    ///   - rowCounts: row counts known before the first event (a backup's manifest).
    public init(
        thresholds: TimelineThresholds = TimelineThresholds(),
        schema: SchemaTracker = SchemaTracker(),
        rowCounts: [QualifiedTable: Int] = [:],
        statementLimit: Int? = nil
    ) {
        self.thresholds = thresholds
        self.statementLimit = statementLimit
        self.schema = schema
        self.rowCounts = rowCounts
        // Whole statement texts: the JSON output prints them whole, and CREATE TABLE is parsed.
        self.tracker = TransactionTracker(countsRows: true, maximumStatementLength: Int.max)
    }

    /// Observes one event of `fileName`; returns the transactions it ended.
    ///
    /// - Parameter context: the decoding state after the event (its table maps).
    /// - Throws: ``BinlogDecodingError`` when a ROWS event's images do not fit its table map.
    public mutating func observe(
        _ record: BinlogEventRecord,
        fileName: String,
        context: BinlogDecodingContext
    ) throws -> [TimelineTransaction] {
        let closed = try self.tracker.observe(record, context: context)
        var finished: [TimelineTransaction] = []
        var extraInfoAdded = false
        // A GTID or BEGIN that closes a dangling group carries nothing of its own; anything else belongs to the
        // group it closed or to the open one: note it before finishing.
        if closed.isEmpty || self.tracker.openTransaction?.startPosition != record.position {
            self.note(record.event)
            extraInfoAdded = true
        }
        for summary in closed {
            finished.append(self.finish(summary))
            self.pending = Pending(fileName: fileName)
        }
        if !extraInfoAdded { self.note(record.event) }
        self.pending.fileName = fileName
        return finished
    }

    /// Ends a file: a group it left open (a crash, or a file cut at a transaction) is returned as it is.
    public mutating func endOfFile() -> [TimelineTransaction] {
        defer { self.pending = Pending() }
        return self.tracker.finish().map { [self.finish($0)] } ?? []
    }

    private mutating func note(_ event: BinlogEvent) {
        switch event {
        case .tableMap(let map):
            let name = QualifiedTable(database: map.database, table: map.table)
            guard self.pending.tableMaps[name] == nil else { return }
            let names = map.hasColumnNames ? map.columns.map { $0.name ?? "" } : nil
            self.pending.tableMaps[name] = (map.columns.count, names)
        case .query(let query):
            if !(query.isBegin || query.isXAStart || query.isCommit || query.isRollback) {
                self.pending.statementDatabases.append(query.databaseName)
            }
        case .transactionPayload(let payload):
            for inner in payload.events { self.note(inner.event) }
        default:
            break
        }
    }

    private mutating func finish(_ summary: TransactionSummary) -> TimelineTransaction {
        let fromCommitTimestamp = summary.commitTimestampMicros.map { $0 > 0 } ?? false
        var transaction = TimelineTransaction(
            gtid: summary.gtid?.description,
            file: self.pending.fileName,
            startPosition: summary.startPosition,
            endPosition: summary.endPosition,
            commitTimeMicros: fromCommitTimestamp
                ? Int64(clamping: summary.commitTimestampMicros ?? 0) : Int64(summary.lastTimestamp) * 1_000_000,
            commitTimeSource: fromCommitTimestamp ? .commitTimestamp : .eventTime
        )
        let limit = self.statementLimit ?? Int.max
        transaction.statements = (summary.statements + summary.rowsQueries).map {
            StatementSecrets.mask(String(decoding: $0.prefix(limit), as: UTF8.self))  // no passwords in tickets
        }

        // Row changes, judged against the counts before this transaction.
        for change in summary.tables {
            let name = QualifiedTable(database: change.database, table: change.table)
            let mapped = self.pending.tableMaps[name]
            let columns = mapped?.names ?? mapped.flatMap { self.schema.columnNames(of: name, count: $0.count) }
            transaction.tables.append(
                TimelineTransaction.TableChange(
                    database: change.database,
                    table: change.table,
                    inserted: change.inserted,
                    updated: change.updated,
                    deleted: change.deleted,
                    columns: columns,
                    rowsBefore: self.rowCounts[name]
                )
            )
        }
        transaction.suspicious += self.judgeRows(transaction.tables)

        // Statements: what they say, then what they do to the schema and the counts.
        for (offset, text) in summary.statements.enumerated() {
            let database = offset < self.pending.statementDatabases.count ? self.pending.statementDatabases[offset] : ""
            let statement = StatementClassifier.classify(text, defaultDatabase: database)
            transaction.suspicious += self.judge(statement, text: text)
            transaction.namedTables += Self.tablesNamed(by: statement)
            // A change logged as a statement (binlog_format STATEMENT or MIXED) has no row events to name its table:
            // `--table`/`--database` find it by the tables its text names.
            let targets = StatementTargets(text, defaultDatabase: database)
            if targets.isUnderstood { transaction.namedTables += targets.tables }
            self.applyToCounts(statement)
            self.schema.apply(statement)
        }
        for text in summary.rowsQueries {
            switch StatementClassifier.classify(text, defaultDatabase: "") {
            case .delete(hasWhere: false), .update(hasWhere: false):
                transaction.suspicious.append(.init(reason: .noWhere, detail: Self.shortened(text)))
            default:
                break
            }
        }
        for change in transaction.tables {
            guard let before = self.rowCounts[change.name] else { continue }
            self.rowCounts[change.name] = max(0, before + change.inserted - change.deleted)
        }
        if !transaction.suspicious.isEmpty {
            transaction.repair = transaction.repairCommands
        }
        return transaction
    }

    private func judgeRows(_ tables: [TimelineTransaction.TableChange]) -> [TimelineTransaction.Suspicion] {
        var flags: [TimelineTransaction.Suspicion] = []
        for change in tables {
            let touched = change.deleted + change.updated
            guard touched > 0 else { continue }
            if let before = change.rowsBefore {
                guard before > 0 else { continue }
                let share = Double(touched) / Double(before)
                if share >= self.thresholds.largeShare, touched >= self.thresholds.largeShareMinimumRows {
                    flags.append(
                        .init(
                            reason: .largeShare,
                            detail:
                                "\(Self.verbs(change)) \(touched) of \(before) rows (\(Self.percent(share))) of \(change.name)"
                        )
                    )
                }
            } else if touched >= self.thresholds.largeCount {
                flags.append(
                    .init(reason: .largeCount, detail: "\(Self.verbs(change)) \(touched) rows of \(change.name)")
                )
            }
        }
        return flags
    }

    static func verbs(_ change: TimelineTransaction.TableChange) -> String {
        switch (change.deleted > 0, change.updated > 0) {
        case (true, true): "deleted or updated"
        case (true, false): "deleted"
        default: "updated"
        }
    }

    static func percent(_ share: Double) -> String {
        "\(Int((min(share, 1) * 100).rounded()))%"
    }

    private func judge(_ statement: SQLStatement, text: [UInt8]) -> [TimelineTransaction.Suspicion] {
        switch statement {
        case .dropTables(let tables, let temporary):
            guard !temporary else { return [] }
            return [.init(reason: .dropTable, detail: "drops " + tables.map(\.description).joined(separator: ", "))]
        case .createTable(let table, _, orReplace: true) where self.knows(table):
            return [.init(reason: .dropTable, detail: "CREATE OR REPLACE TABLE replaces \(table)")]
        case .dropDatabase(let database):
            return [.init(reason: .dropDatabase, detail: "drops database \(database)")]
        case .truncate(let table):
            let rows = self.rowCounts[table].map { " (\($0) rows)" } ?? ""
            return [.init(reason: .truncate, detail: "truncates \(table)\(rows)")]
        case .alterTable(let table, let actions):
            var lost: [String] = []
            for action in actions {
                switch action {
                case .dropColumn(let name): lost.append("column \(name)")
                case .dropPartition(let names): lost.append("partition \(names.joined(separator: ", "))")
                case .dropIndex(let name): lost.append("index \(name)")
                case .dropPrimaryKey: lost.append("the primary key")
                case .dropForeignKey(let name): lost.append("foreign key \(name)")
                default: break
                }
            }
            guard !lost.isEmpty else { return [] }
            return [.init(reason: .alterDrop, detail: "\(table) drops " + lost.joined(separator: ", "))]
        case .delete(hasWhere: false), .update(hasWhere: false):
            return [.init(reason: .noWhere, detail: Self.shortened(text))]
        default:
            return []
        }
    }

    private func knows(_ table: QualifiedTable) -> Bool {
        self.rowCounts[table] != nil || self.schema.columnNames(of: table) != nil
    }

    static func tablesNamed(by statement: SQLStatement) -> [QualifiedTable] {
        switch statement {
        case .createTable(let table, _, _), .alterTable(let table, _), .truncate(let table):
            return [table]
        case .createTableLike(let table, let source):
            return [table, source]
        case .dropTables(let tables, _):
            return tables
        case .renameTables(let renames):
            return renames.flatMap { [$0.from, $0.to] }
        case .dropDatabase(let database):
            return [QualifiedTable(database: database, table: "")]
        default:
            return []
        }
    }

    private mutating func applyToCounts(_ statement: SQLStatement) {
        switch statement {
        case .createTable(let table, _, _), .createTableLike(let table, _), .truncate(let table):
            self.rowCounts[table] = 0
        case .dropTables(let tables, false):
            for table in tables { self.rowCounts[table] = nil }
        case .dropDatabase(let database):
            for table in self.rowCounts.keys where table.database == database { self.rowCounts[table] = nil }
        case .renameTables(let renames):
            for rename in renames { self.rowCounts[rename.to] = self.rowCounts.removeValue(forKey: rename.from) }
        case .alterTable(let table, let actions):
            for case .renameTable(let target) in actions {
                self.rowCounts[target] = self.rowCounts.removeValue(forKey: table)
            }
        default:
            break
        }
    }

    /// A statement cut to 120 characters, on one line.
    static func shortened(_ text: [UInt8], limit: Int = 120) -> String {
        var result = String(decoding: text.prefix(limit * 4), as: UTF8.self)
        result = result.split(whereSeparator: \.isNewline).joined(separator: " ")
        if result.count > limit { result = String(result.prefix(limit - 1)) + "…" }
        return result
    }
}
