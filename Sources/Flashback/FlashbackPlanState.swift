import BinlogFormat
import Recovery

/// The planner's first pass while it reads: follows the transactions (``TransactionTracker`` delimits them),
/// notes where the row events of the selected ones are (``UndoRowsReference`` records in the spill file),
/// and gathers what the refusals need. Memory does not grow with the number of transactions or rows.
struct FlashbackPlanState {
    let planner: FlashbackPlanner
    let fileNames: [String]
    let fileOrder: [String: Int]
    let spill: SpillFile
    var tracker = TransactionTracker(countsRows: false)

    /// The group being read: its start, whether it is selected, what was written for it.
    var groupKey: (file: String, start: UInt64)?
    var groupSelected = false
    var groupStatements = 0
    var groupRowEvents = 0
    var groupSkipped: [String] = []
    var groupKeyNotes: [String] = []
    var groupHasDDL = false

    /// Tables by the TABLE_MAP's table id, with their index in ``tables``.
    var tablesByID: [UInt64: (map: TableMapEvent, index: Int)] = [:]
    var tables: [UndoTable] = []
    /// Readers of the files that hold row events to undo, by file index.
    var readers: [PositionedBinlogReader?]
    var affected: [String] = []
    var affectedSet: Set<String> = []
    /// The kinds of row change undone, by lower-cased `db.table`.
    var affectedKinds: [String: Set<RowsEvent.Kind>] = [:]
    var transactionCount = 0
    var statementCount = 0
    var notes: [String] = []
    var notesLeftOut = 0
    var found: Set<TransactionID> = []
    var sawSelected = false
    var ddl: [DDLEntry] = []
    /// The check of the DDL after what the first pass reads (its scan runs on another thread).
    var tailCheck: DDLCheck?

    init(planner: FlashbackPlanner, paths: [String]) throws {
        self.planner = planner
        self.fileNames = paths.map(FlashbackPlanner.baseName)
        var order: [String: Int] = [:]
        for (index, name) in self.fileNames.enumerated() where order[name] == nil { order[name] = index }
        self.fileOrder = order
        self.readers = Array(repeating: nil, count: paths.count)
        self.spill = try SpillFile(directory: planner.temporaryDirectory)
    }

    /// Whether the body of the event with `header` is needed: statement texts and session variables never are,
    /// table maps and row events only in a selected transaction (`selected`: ``groupSelected``, passed as a
    /// value so that the scanner's callback does not hold on to the state).
    static func wants(_ header: BinlogEventHeader, selected: Bool) -> Bool {
        switch header.type {
        case .mariadbAnnotateRows, .rowsQuery, .intvar, .rand, .userVar, .ignorable:
            return false
        case .tableMap, .transactionPayload:
            return selected
        case let type where RowsEvent.isRowsEvent(type):
            return selected
        default:
            return true
        }
    }

    /// Observes one event of file `fileIndex` (undecoded events come as `.ignorable`).
    mutating func observe(
        _ record: BinlogEventRecord,
        scanner: borrowing BinlogFileScanner,
        fileIndex: Int
    ) throws {
        let file = self.fileNames[fileIndex]
        let context = scanner.context
        let closed = try self.tracker.observe(record, context: context)
        // The event's group: the open one, or the one this very event closed (a DDL, a COMMIT query).
        let group = self.tracker.openTransaction ?? closed.last
        for summary in closed where summary.startPosition != group?.startPosition {
            try self.close(summary, file: file)
        }
        if let group {
            try self.enterGroup(group, file: file)
            switch record.event {
            case .rows, .query, .transactionPayload:
                try self.handle(
                    record,
                    context: context,
                    scanner: scanner,
                    fileIndex: fileIndex,
                    inner: 0,
                    innerMaps: [:],
                    outer: record
                )
            default:
                break
            }
        }
        for summary in closed where summary.startPosition == group?.startPosition {
            try self.close(summary, file: file)
        }
    }

    /// Ends the group left open where reading jumps elsewhere (as the end of the input would).
    mutating func closeOpenGroup() throws {
        if let open = self.tracker.finish(), let key = self.groupKey {
            try self.close(open, file: key.file)
        }
    }

    /// Follows the tracker's groups; decides whether a new one is selected.
    mutating func enterGroup(_ group: TransactionSummary, file: String) throws {
        if let key = self.groupKey, key.file == file, key.start == group.startPosition { return }
        if self.groupKey != nil && self.groupRowEvents > 0 {
            // A group that never closed: its statements are not undone.
            try self.spill.append(kind: UndoRecord.discardKind, payload: [])
        }
        self.groupKey = (file, group.startPosition)
        self.groupStatements = 0
        self.groupRowEvents = 0
        self.groupSkipped = []
        self.groupKeyNotes = []
        self.groupHasDDL = false
        let order = self.fileOrder
        self.groupSelected = self.planner.selection.selects(
            gtid: group.gtid,
            file: file,
            offset: group.startPosition,
            timestamp: group.firstTimestamp,
            fileOrder: { order[$0] }
        )
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
        _ record: BinlogEventRecord,
        context: BinlogDecodingContext,
        scanner: borrowing BinlogFileScanner,
        fileIndex: Int,
        inner: UInt32,
        innerMaps: [UInt64: TableMapEvent],
        outer: BinlogEventRecord
    ) throws {
        let file = self.fileNames[fileIndex]
        switch record.event {
        case .rows(let rows):
            guard self.groupSelected else { return }
            guard let map = innerMaps[rows.tableID] ?? context.tableMap(for: rows) else {
                throw FlashbackError(
                    code: .input,
                    reason: "a row event names table id \(rows.tableID), which no TABLE_MAP event mapped",
                    file: file,
                    position: outer.position
                )
            }
            let reference = UndoRowsReference(
                file: UInt32(fileIndex),
                position: outer.position,
                size: outer.header.eventSize,
                table: 0,
                inner: inner
            )
            try self.undo(rows, map: map, reference: reference, scanner: scanner)
        case .query(let query):
            guard !(query.isBegin || query.isCommit || query.isRollback || query.isXAStart) else { return }
            if let statement = DDLStatement.parse(query.query) {
                if self.groupSelected { self.groupHasDDL = true }
                if self.sawSelected {
                    self.ddl.append(
                        DDLEntry(
                            statement: statement,
                            defaultDatabase: query.databaseName,
                            file: file,
                            position: outer.position,
                            selected: self.groupSelected
                        )
                    )
                }
            } else if self.groupSelected, Self.isStatementDML(query.query) {
                throw FlashbackError.refused(
                    "the selected transaction changes rows with a statement (binlog_format=STATEMENT or MIXED), "
                        + "whose rows the binlog does not hold: it cannot be undone row by row; use "
                        + "`rewind restore --before` instead",
                    file: file,
                    position: outer.position
                )
            }
        case .transactionPayload(let payload):
            var maps = innerMaps
            for (index, event) in payload.events.enumerated() {
                if case .tableMap(let map) = event.event { maps[map.tableID] = map }
                try self.handle(
                    event,
                    context: context,
                    scanner: scanner,
                    fileIndex: fileIndex,
                    inner: UInt32(index + 1),
                    innerMaps: maps,
                    outer: outer
                )
            }
        default:
            break
        }
    }

    /// Notes the row event `reference` for the second pass, after the checks its undo needs.
    mutating func undo(
        _ rows: RowsEvent,
        map: TableMapEvent,
        reference: UndoRowsReference,
        scanner: borrowing BinlogFileScanner
    ) throws {
        let file = self.fileNames[Int(reference.file)]
        let position = reference.position
        guard self.planner.selection.includes(database: map.database, table: map.table) else {
            let name = "\(map.database).\(map.table)"
            if !self.groupSkipped.contains(name) { self.groupSkipped.append(name) }
            return
        }
        let index: Int
        if let cached = self.tablesByID[rows.tableID], cached.map == map {
            index = cached.index
        } else {
            let table = try UndoTable(
                map: map,
                hint: self.planner.schema?.hint(database: map.database, table: map.table),
                file: file,
                position: position
            )
            if let same = self.tables.firstIndex(where: { $0.map.sameDefinition(as: map) }) {
                index = same
            } else {
                index = self.tables.count
                self.tables.append(table)
            }
            self.tablesByID[rows.tableID] = (map, index)
        }
        let table = self.tables[index]
        let name = table.displayName
        if !self.affectedSet.contains(name.lowercased()) {
            self.affectedSet.insert(name.lowercased())
            self.affected.append(name)
        }
        if table.keySource != .primaryKey {
            let note =
                "\(name): rows found by \(table.keySource.rawValue)"
                + (table.keySource == .allColumns ? " with LIMIT 1 (the table has no primary key)" : "")
            if !self.groupKeyNotes.contains(note) { self.groupKeyNotes.append(note) }
        }
        try Self.checkImages(rows, table: table, file: file, position: position)
        if rows.kind == .update,
            let effects = self.planner.schema?.hint(database: map.database, table: map.table)?
                .sideEffects
        {
            try Self.checkUpdateCascades(rows, table: table, effects: effects, file: file, position: position)
        }
        let count: Int
        do {
            count = try rows.rowCount(table: map)
        } catch let error as BinlogDecodingError {
            throw error.adding(eventType: nil, position: position, fileName: file)
        }
        guard count > 0 else { return }
        self.affectedKinds[name.lowercased(), default: []].insert(rows.kind)
        if self.readers[Int(reference.file)] == nil {
            self.readers[Int(reference.file)] = try PositionedBinlogReader(path: scanner.path, context: scanner.context)
        }
        var noted = reference
        noted.table = UInt32(index)
        try self.spill.append(kind: UndoRecord.rowsKind, payload: UndoRecord.encode(noted))
        self.groupStatements += count
        self.groupRowEvents += 1
    }

    /// Refuses row images without every column of the table (`binlog_row_image=MINIMAL` or `NOBLOB`, JSON diffs):
    /// the bitmaps of present columns say so without reading the rows.
    static func checkImages(_ rows: RowsEvent, table: UndoTable, file: String, position: UInt64) throws {
        let count = table.columns.count
        func check(_ present: [UInt8], _ image: String) throws {
            for index in 0..<count {
                let byte = index >> 3
                guard index < rows.columnCount, byte < present.count, present[byte] & (1 << UInt8(index & 7)) != 0
                else {
                    throw RowLiterals.missing(index, table: table, image: image, file: file, position: position)
                }
            }
        }
        if rows.kind != .insert { try check(rows.presentColumns, "before") }
        if rows.kind != .delete { try check(rows.presentColumnsAfter ?? rows.presentColumns, "after") }
        guard rows.isPartialUpdate, table.columns.contains(where: { $0.type == .json }) else { return }
        // A partial update may hold JSON diffs instead of documents: the undo needs the whole document.
        try rows.forEachRawRow(table: table.map, plans: table.plans) { _, _, after in
            if let after, let index = after.slots.firstIndex(where: { $0.state == .jsonDiff }) {
                throw RowLiterals.missing(index, table: table, image: "after", file: file, position: position)
            }
        }
    }

    /// Refuses the undo of an UPDATE that changed columns which a foreign key with ON UPDATE CASCADE, SET NULL or
    /// SET DEFAULT references. The server changed the referencing rows with it (the binlog does not hold that), and
    /// the undo's UPDATE would change every row that references the new values now, rows written since among them,
    /// with no conflict to show it. An UPDATE that leaves those columns alone cascades nothing and is undone.
    static func checkUpdateCascades(
        _ rows: RowsEvent, table: UndoTable, effects: [ServerSideEffect], file: String, position: UInt64
    ) throws {
        var watched: [(text: String, columns: [Int])] = []
        for effect in effects {
            guard case .updateCascade(let constraint, let child, let rule, let columns) = effect else { continue }
            let indexes = columns.compactMap { column in
                table.names.firstIndex { $0.lowercased() == column.lowercased() }
            }
            // A column the binlog's table lacks: it was altered since, which the server check refuses.
            guard indexes.count == columns.count, !indexes.isEmpty else { continue }
            let names = columns.map { "`\($0)`" }.joined(separator: ", ")
            watched.append(("\(child) (\(constraint), ON UPDATE \(rule), on \(names))", indexes))
        }
        guard !watched.isEmpty else { return }
        var changed = Set<Int>()
        try rows.forEachRawRow(table: table.map, plans: table.plans) { bytes, before, after in
            guard let before, let after else { return }
            for (number, key) in watched.enumerated() where !changed.contains(number) {
                let differs = key.columns.contains { column in
                    let old = before.slots[column]
                    let new = after.slots[column]
                    return old.state != new.state
                        || (old.state == .value
                            && !bytes[old.start..<old.end].elementsEqual(bytes[new.start..<new.end]))
                }
                if differs { changed.insert(number) }
            }
        }
        guard !changed.isEmpty else { return }
        throw FlashbackError.refused(
            "\(table.displayName) is referenced by foreign keys that act on update: "
                + changed.sorted().map { watched[$0].text }.joined(separator: ", ")
                + ", and the UPDATE being undone changed those columns. The server changed the rows that referenced "
                + "them with it, which the binlog does not hold; the undo's UPDATE would change every row that "
                + "references the new values now, also rows written since, and no conflict would show it. "
                + "Use `rewind restore --skip` (or `--before`) to rebuild the tables without the bad transaction",
            file: file, position: position)
    }

    mutating func close(_ summary: TransactionSummary, file: String) throws {
        guard let key = self.groupKey, key.start == summary.startPosition else { return }
        defer { self.groupKey = nil }
        guard self.groupSelected else { return }
        let header = UndoTransactionHeader(
            gtid: summary.gtid?.description,
            file: key.file,
            startPosition: summary.startPosition,
            endPosition: summary.endPosition,
            timestamp: summary.firstTimestamp,
            statements: self.groupStatements,
            skippedTables: self.groupSkipped,
            keyNotes: self.groupKeyNotes
        )
        switch summary.ending {
        case .incomplete, .rollback, .xaPrepare:
            if self.groupRowEvents > 0 {
                try self.spill.append(kind: UndoRecord.discardKind, payload: [])
            }
            self.note("\(header.name) left out: it was not committed (\(summary.ending.rawValue))")
        default:
            if self.groupHasDDL && !self.planner.selection.only.isEmpty {
                throw FlashbackError.refused(
                    "\(header.name) is DDL, which flashback does not undo: use `rewind restore --before` "
                        + "to rebuild the server as it was before it",
                    file: key.file,
                    position: summary.startPosition
                )
            }
            guard self.groupStatements > 0 else {
                if !self.groupHasDDL {
                    self.note(
                        "\(header.name) has no row changes to undo"
                            + (self.groupSkipped.isEmpty ? "" : " in the tables selected")
                    )
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

    /// The plan; unless `overlappingChecks`, the DDL check has passed (else its scan of the binlogs after the
    /// selection runs on while the plan is rendered, and ``FlashbackPlan/confirm()`` waits for it).
    mutating func finish(overlappingChecks: Bool) throws -> FlashbackPlan {
        try self.closeOpenGroup()
        for id in self.planner.selection.only where !self.found.contains(id) {
            throw FlashbackError.notFound(id)
        }
        if !self.sawSelected {
            throw FlashbackError(
                code: .selection,
                reason: "no transaction of the binlogs read is in the selected range"
            )
        }
        try DDLCheck.check(self.ddl, affected: self.affected)
        try self.checkServer()
        if self.notesLeftOut > 0 { self.notes.append("… and \(self.notesLeftOut) more notes like these") }
        let renderer = UndoEventRenderer(
            readers: self.readers,
            tables: self.tables,
            reverser: RowReverser(minimal: self.planner.minimal, conflictContext: self.planner.forApply)
        )
        let check = self.tailCheck ?? DDLCheck()
        check.affected = self.affected
        if !overlappingChecks { try check.confirm() }
        return FlashbackPlan(
            spill: self.spill,
            renderer: renderer,
            ddlCheck: check,
            transactionCount: self.transactionCount,
            statementCount: self.statementCount,
            tables: self.affected,
            notes: self.notes
        )
    }

    func checkServer() throws {
        guard let schema = self.planner.schema else { return }
        for name in self.affected {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            guard let hint = schema.hint(database: parts[0], table: parts[1]) else {
                throw FlashbackError.refused(
                    "\(name) is not on the server (dropped or renamed since): its undo has no table to go to; "
                        + "use `rewind restore --before` to get it back"
                )
            }
            if let table = self.tables.first(where: { $0.displayName == name }),
                table.names.map({ $0.lowercased() }) != hint.columns.map({ $0.lowercased() })
            {
                throw FlashbackError.refused(
                    "\(name) on the server has columns (\(hint.columns.joined(separator: ", "))) that differ from "
                        + "the binlog's (\(table.names.joined(separator: ", "))): it was altered since; use "
                        + "`rewind restore --before` instead"
                )
            }
            try self.checkSideEffects(of: name, hint.sideEffects)
        }
    }

    /// Refuses an undo whose statements would make the server do more than put the rows back: fire a trigger
    /// again (unless `--fire-triggers`), or cascade a delete into another table's rows.
    func checkSideEffects(of name: String, _ effects: [ServerSideEffect]) throws {
        let kinds = self.affectedKinds[name.lowercased()] ?? []
        // The statement each kind of change is undone by.
        let statements = Set(
            kinds.map { kind in
                switch kind {
                case .insert: "DELETE"
                case .delete: "INSERT"
                case .update: "UPDATE"
                }
            })
        var triggers: [String] = []
        var cascades: [String] = []
        for effect in effects {
            switch effect {
            case .trigger(let trigger, let timing, let event) where statements.contains(event):
                triggers.append("\(trigger) (\(timing) \(event))")
            case .cascade(let constraint, let child, let rule) where kinds.contains(.insert) || kinds.contains(.delete):
                cascades.append("\(child) (\(constraint), ON DELETE \(rule))")
            default: continue
            }
        }
        if !cascades.isEmpty {
            throw FlashbackError.refused(
                "\(name) is referenced by foreign keys that act on delete: "
                    + cascades.joined(separator: ", ") + ". "
                    + (kinds.contains(.delete)
                        ? "The DELETE being undone also deleted or changed the rows that referenced its rows, and the "
                            + "binlog does not hold those changes (neither this undo nor mariadb-binlog --flashback "
                            + "can put them back). "
                        : "")
                    + (kinds.contains(.insert)
                        ? "Undoing the INSERT deletes its rows, which would delete or change every row that references "
                            + "them now, also rows written since, and no conflict would show it. " : "")
                    + "Use `rewind restore --skip` (or `--before`) to rebuild the tables without the bad transaction"
            )
        }
        if !triggers.isEmpty && !self.planner.fireTriggers {
            throw FlashbackError.refused(
                "\(name) has triggers the undo's statements fire: " + triggers.joined(separator: ", ")
                    + ". The bad transaction's rows were logged as row events, which fire no trigger when replayed, "
                    + "but its undo is SQL: each trigger would run again (a second audit row, a total changed twice). "
                    + "Drop them while the undo runs, or use `rewind restore --skip`; give --fire-triggers if running "
                    + "them is what you want"
            )
        }
    }

    static func isStatementDML(_ query: [UInt8]) -> Bool {
        guard let first = DDLStatement.tokens(Array(query.prefix(256))).first, case .word(let word) = first else {
            return false
        }
        return ["INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD"].contains(word.uppercased())
    }
}
