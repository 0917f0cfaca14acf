import BinlogFormat
import Recovery

/// Reads binlog files once, picks the selected transactions (``TransactionTracker`` delimits them), and
/// writes the guarded undo of each of their row changes to a temporary file, in bounded memory.
///
/// Refuses (``FlashbackError/Code/refused``) when the undo would be wrong: DDL on an affected table in the
/// selection or after it (altered or dropped since), a row image without every column (`binlog_row_image`
/// MINIMAL/NOBLOB), statement-format changes, no column names in the binlog, or (with ``schema``) an
/// affected table the server no longer has.
public struct FlashbackPlanner: Sendable {
    public var selection: FlashbackSelection
    /// `--minimal`: an UPDATE's undo restores and guards only the columns it changed.
    public var minimal: Bool
    /// The server's tables (generated columns, unique keys, existence), when a server was given.
    public var schema: ServerSchema?
    /// Where the temporary file goes (`TMPDIR` or /tmp by default).
    public var temporaryDirectory: String?
    public var verifyChecksums: Bool
    /// Whether undo statements carry their row's key and lookup query, for `--apply`'s conflict report
    /// (a script does not need them, and they cost time).
    public var forApply: Bool

    public init(
        selection: FlashbackSelection, minimal: Bool = false, schema: ServerSchema? = nil,
        temporaryDirectory: String? = nil, verifyChecksums: Bool = true, forApply: Bool = true
    ) {
        self.forApply = forApply
        self.selection = selection
        self.minimal = minimal
        self.schema = schema
        self.temporaryDirectory = temporaryDirectory
        self.verifyChecksums = verifyChecksums
    }

    /// Reads `paths` in order and returns the undo plan.
    ///
    /// - Throws: ``FlashbackError`` (refusals, a selection that names no transaction), the readers'
    ///   ``BinlogDecodingError`` (with file and offset) and ``RecoveryError``.
    public func plan(paths: [String]) throws -> FlashbackPlan {
        var state = try PlanState(planner: self, fileNames: paths.map(Self.baseName))
        for path in paths {
            var file = try LocalBinlogFile(path: path, verifyChecksums: self.verifyChecksums)
            let name = Self.baseName(path)
            do {
                while let record = try file.next() {
                    try state.observe(record, context: file.context, file: name)
                }
            } catch var error as BinlogDecodingError {
                if error.fileName == nil { error.fileName = name }
                throw error
            }
        }
        return try state.finish()
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// The planner's state while it reads.
private struct PlanState {
    let planner: FlashbackPlanner
    let reverser: RowReverser
    let fileOrder: [String: Int]
    let spill: SpillFile
    var tracker = TransactionTracker(countsRows: false)

    /// The group being read: its start, whether it is selected, what was written for it.
    var groupKey: (file: String, start: UInt64)?
    var groupSelected = false
    var groupStatements = 0
    var groupSkipped: [String] = []
    var groupKeyNotes: [String] = []
    var groupHasDDL = false

    var tablesByID: [UInt64: (map: TableMapEvent, table: UndoTable)] = [:]
    var affected: [String] = []
    var affectedSet: Set<String> = []
    var transactionCount = 0
    var statementCount = 0
    var notes: [String] = []
    var notesLeftOut = 0
    var found: Set<TransactionID> = []
    var sawSelected = false
    var ddl: [(statement: DDLStatement, defaultDatabase: String, file: String, position: UInt64, selected: Bool)] = []

    init(planner: FlashbackPlanner, fileNames: [String]) throws {
        self.planner = planner
        self.reverser = RowReverser(minimal: planner.minimal, conflictContext: planner.forApply)
        var order: [String: Int] = [:]
        for (index, name) in fileNames.enumerated() where order[name] == nil { order[name] = index }
        self.fileOrder = order
        self.spill = try SpillFile(directory: planner.temporaryDirectory)
    }

    mutating func observe(_ record: BinlogEventRecord, context: BinlogDecodingContext, file: String) throws {
        let closed = try self.tracker.observe(record, context: context)
        // The event's group: the open one, or the one this very event closed (a DDL, a COMMIT query).
        let group = self.tracker.openTransaction ?? closed.last
        for summary in closed where summary.startPosition != group?.startPosition {
            try self.close(summary, file: file)
        }
        switch record.event {
        case .rows, .query, .transactionPayload:
            if let group {
                try self.enterGroup(group, file: file)
                try self.handle(record, context: context, file: file, innerMaps: [:], outerPosition: record.position)
            }
        default:
            break
        }
        for summary in closed where summary.startPosition == group?.startPosition {
            try self.close(summary, file: file)
        }
    }

    /// Follows the tracker's groups; decides whether a new one is selected.
    mutating func enterGroup(_ group: TransactionSummary, file: String) throws {
        if let key = self.groupKey, key.file == file, key.start == group.startPosition { return }
        if self.groupKey != nil && self.groupStatements > 0 {
            // A group that never closed: its statements are not undone.
            try self.spill.append(kind: UndoRecord.discardKind, payload: [])
        }
        self.groupKey = (file, group.startPosition)
        self.groupStatements = 0
        self.groupSkipped = []
        self.groupKeyNotes = []
        self.groupHasDDL = false
        let order = self.fileOrder
        self.groupSelected = self.planner.selection.selects(
            gtid: group.gtid, file: file, offset: group.startPosition, timestamp: group.firstTimestamp,
            fileOrder: { order[$0] })
        if self.groupSelected {
            self.sawSelected = true
            // Only `--only` names are remembered (a range keeps no per-transaction state: memory stays flat).
            for id in self.planner.selection.only {
                switch id {
                case .gtid(let wanted) where wanted == group.gtid: self.found.insert(id)
                case .position(let wantedFile, let offset) where wantedFile == file && offset == group.startPosition:
                    self.found.insert(id)
                default: break
                }
            }
        }
    }

    mutating func handle(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, file: String,
        innerMaps: [UInt64: TableMapEvent], outerPosition: UInt64
    ) throws {
        switch record.event {
        case .rows(let rows):
            guard self.groupSelected else { return }
            guard let map = innerMaps[rows.tableID] ?? context.tableMap(for: rows) else {
                throw FlashbackError(
                    code: .input, reason: "a row event names table id \(rows.tableID), which no TABLE_MAP event mapped",
                    file: file, position: outerPosition)
            }
            try self.undo(rows, map: map, file: file, position: outerPosition)
        case .query(let query):
            guard !(query.isBegin || query.isCommit || query.isRollback || query.isXAStart) else { return }
            if let statement = DDLStatement.parse(query.query) {
                if self.groupSelected { self.groupHasDDL = true }
                if self.sawSelected {
                    self.ddl.append((statement, query.databaseName, file, outerPosition, self.groupSelected))
                }
            } else if self.groupSelected, Self.isStatementDML(query.query) {
                throw FlashbackError.refused(
                    "the selected transaction changes rows with a statement (binlog_format=STATEMENT or MIXED), "
                        + "whose rows the binlog does not hold: it cannot be undone row by row; use "
                        + "`rewind restore --before` instead",
                    file: file, position: outerPosition)
            }
        case .transactionPayload(let payload):
            var maps = innerMaps
            for inner in payload.events {
                if case .tableMap(let map) = inner.event { maps[map.tableID] = map }
                try self.handle(inner, context: context, file: file, innerMaps: maps, outerPosition: outerPosition)
            }
        default:
            break
        }
    }

    mutating func undo(_ rows: RowsEvent, map: TableMapEvent, file: String, position: UInt64) throws {
        guard self.planner.selection.includes(database: map.database, table: map.table) else {
            let name = "\(map.database).\(map.table)"
            if !self.groupSkipped.contains(name) { self.groupSkipped.append(name) }
            return
        }
        let table: UndoTable
        if let cached = self.tablesByID[rows.tableID], cached.map == map {
            table = cached.table
        } else {
            table = try UndoTable(
                map: map, hint: self.planner.schema?.hint(database: map.database, table: map.table), file: file,
                position: position)
            self.tablesByID[rows.tableID] = (map, table)
        }
        let name = table.displayName
        if !self.affectedSet.contains(name.lowercased()) {
            self.affectedSet.insert(name.lowercased())
            self.affected.append(name)
        }
        if table.keySource != .primaryKey {
            let note = "\(name): rows found by \(table.keySource.rawValue)"
                + (table.keySource == .allColumns ? " with LIMIT 1 (the table has no primary key)" : "")
            if !self.groupKeyNotes.contains(note) { self.groupKeyNotes.append(note) }
        }
        let reverser = self.reverser
        let spill = self.spill
        var written = 0
        try rows.forEachRow(table: map) { change in
            let statement = try reverser.undo(rows.kind, change: change, table: table, file: file, position: position)
            try spill.append(kind: UndoRecord.statementKind, payload: UndoRecord.encode(statement))
            written += 1
        }
        self.groupStatements += written
    }

    mutating func close(_ summary: TransactionSummary, file: String) throws {
        guard let key = self.groupKey, key.start == summary.startPosition else { return }
        defer { self.groupKey = nil }
        guard self.groupSelected else { return }
        let header = UndoTransactionHeader(
            gtid: summary.gtid?.description, file: key.file, startPosition: summary.startPosition,
            endPosition: summary.endPosition, timestamp: summary.firstTimestamp, statements: self.groupStatements,
            skippedTables: self.groupSkipped, keyNotes: self.groupKeyNotes)
        switch summary.ending {
        case .incomplete, .rollback, .xaPrepare:
            if self.groupStatements > 0 {
                try self.spill.append(kind: UndoRecord.discardKind, payload: [])
            }
            self.note("\(header.name) left out: it was not committed (\(summary.ending.rawValue))")
        default:
            if self.groupHasDDL && !self.planner.selection.only.isEmpty {
                throw FlashbackError.refused(
                    "\(header.name) is DDL, which flashback does not undo: use `rewind restore --before` "
                        + "to rebuild the server as it was before it", file: key.file, position: summary.startPosition)
            }
            guard self.groupStatements > 0 else {
                if !self.groupHasDDL {
                    self.note("\(header.name) has no row changes to undo"
                        + (self.groupSkipped.isEmpty ? "" : " in the tables selected"))
                }
                return
            }
            try self.spill.append(kind: UndoRecord.headerKind, payload: UndoRecord.encode(header))
            self.transactionCount += 1
            self.statementCount += self.groupStatements
        }
    }

    /// Keeps the first 100 notes (a range over millions of transactions must not grow the list without end).
    mutating func note(_ text: String) {
        if self.notes.count < 100 { self.notes.append(text) } else { self.notesLeftOut += 1 }
    }

    mutating func finish() throws -> FlashbackPlan {
        if let open = self.tracker.finish(), let key = self.groupKey {
            try self.close(open, file: key.file)
        }
        for id in self.planner.selection.only where !self.found.contains(id) {
            throw FlashbackError(
                code: .selection,
                reason: "transaction \(id) is not in the binlogs read: give the GTID or the FILE:POS where it starts, "
                    + "as `rewind binlog show` prints them (`# at POS` of its GTID or BEGIN event)")
        }
        if !self.sawSelected {
            throw FlashbackError(code: .selection, reason: "no transaction of the binlogs read is in the selected range")
        }
        try self.checkDDL()
        try self.checkServer()
        if self.notesLeftOut > 0 { self.notes.append("… and \(self.notesLeftOut) more notes like these") }
        return FlashbackPlan(
            spill: self.spill, transactionCount: self.transactionCount, statementCount: self.statementCount,
            tables: self.affected, notes: self.notes)
    }

    func checkDDL() throws {
        for entry in self.ddl {
            for name in self.affected {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2,
                    entry.statement.touches(database: parts[0], table: parts[1], defaultDatabase: entry.defaultDatabase)
                else { continue }
                if entry.selected {
                    throw FlashbackError.refused(
                        "the selection holds DDL (\(entry.statement.verb)) on \(name), the undo of whose rows "
                            + "would not fit the table any more: use `rewind restore --before` (or `--skip` the "
                            + "bad transaction in a restore), or select only transactions without DDL",
                        file: entry.file, position: entry.position)
                }
                let what = entry.statement.verb == "DROP" ? "dropped" : "changed by DDL (\(entry.statement.verb))"
                throw FlashbackError.refused(
                    "\(name) was \(what) after the selected transactions: their undo would need the table as it "
                        + "was; use `rewind restore --before` instead",
                    file: entry.file, position: entry.position)
            }
        }
    }

    func checkServer() throws {
        guard let schema = self.planner.schema else { return }
        for name in self.affected {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            guard let hint = schema.hint(database: parts[0], table: parts[1]) else {
                throw FlashbackError.refused(
                    "\(name) is not on the server (dropped or renamed since): its undo has no table to go to; "
                        + "use `rewind restore --before` to get it back")
            }
            if let table = self.tablesByID.values.first(where: { $0.table.displayName == name })?.table,
                table.names.map({ $0.lowercased() }) != hint.columns.map({ $0.lowercased() })
            {
                throw FlashbackError.refused(
                    "\(name) on the server has columns (\(hint.columns.joined(separator: ", "))) that differ from "
                        + "the binlog's (\(table.names.joined(separator: ", "))): it was altered since; use "
                        + "`rewind restore --before` instead")
            }
        }
    }

    static func isStatementDML(_ query: [UInt8]) -> Bool {
        guard let first = DDLStatement.tokens(Array(query.prefix(256))).first, case .word(let word) = first else {
            return false
        }
        return ["INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD"].contains(word.uppercased())
    }
}
