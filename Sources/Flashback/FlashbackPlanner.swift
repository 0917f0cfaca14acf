import BinlogFormat
import Recovery

/// Plans the undo of the selected transactions in two passes over the binlogs, in bounded memory.
///
/// The first pass (``plan(paths:)``) reads only what the selection needs: a `--only` transaction given as
/// `FILE:POS` is read from there (after the file's format description), a GTID is found by a scan of event
/// headers, a `--since FILE:POS` range starts there and a `--until FILE:POS` range ends there; statement texts
/// and the events of transactions not selected are passed over undecoded. It notes where the selected row
/// events are (not their statements) and checks what the refusals need; then a scan of the event headers up
/// to the end of the binlogs looks for DDL on the affected tables. The second pass (``UndoScriptWriter``,
/// ``FlashbackApplier``) reads those row events again, newest first, and renders their undo.
///
/// Refuses (``FlashbackError/Code/refused``) when the undo would be wrong: DDL on an affected table in the
/// selection or after it (altered or dropped since), a row image without every column (`binlog_row_image`
/// MINIMAL/NOBLOB), statement-format changes, no column names in the binlog, or (with ``schema``) an
/// affected table the server no longer has, or one whose undo would have side effects on the server the binlog does
/// not show (``ServerSideEffect``: triggers the undo fires, unless ``fireTriggers``; rows of other tables that a
/// delete cascades to).
public struct FlashbackPlanner: Sendable {
    public var selection: FlashbackSelection
    /// `--minimal`: an UPDATE's undo restores and guards only the columns it changed.
    public var minimal: Bool
    /// The server's tables (generated columns, unique keys, existence), when a server was given.
    public var schema: ServerSchema?
    /// Where the temporary file goes (`TMPDIR` or /tmp by default).
    public var temporaryDirectory: String?
    /// Whether checksums are verified (on every event decoded; events passed over are not read).
    public var verifyChecksums: Bool
    /// Whether undo statements carry their row's key and lookup query, for `--apply`'s conflict report
    /// (a script does not need them, and they cost time).
    public var forApply: Bool
    /// `--fire-triggers`: undo a table whose triggers the undo's statements fire (refused by default).
    public var fireTriggers: Bool

    public init(
        selection: FlashbackSelection,
        minimal: Bool = false,
        schema: ServerSchema? = nil,
        temporaryDirectory: String? = nil,
        verifyChecksums: Bool = true,
        forApply: Bool = true,
        fireTriggers: Bool = false
    ) {
        self.forApply = forApply
        self.fireTriggers = fireTriggers
        self.selection = selection
        self.minimal = minimal
        self.schema = schema
        self.temporaryDirectory = temporaryDirectory
        self.verifyChecksums = verifyChecksums
    }

    /// Reads `paths` (in order) as far as the selection needs, and returns the undo plan.
    ///
    /// - Parameter overlappingChecks: let the scan for DDL after the selection run on another thread while the
    ///   plan is rendered (it starts as soon as the selection's start is known): the plan's
    ///   ``FlashbackPlan/confirm()``, which the script writer and the applier call before they write or run
    ///   anything, then throws the refusal. By default the check has passed when the plan is returned.
    /// - Throws: ``FlashbackError`` (refusals, a selection that names no transaction), the readers'
    ///   ``BinlogDecodingError`` (with file and offset) and ``RecoveryError``.
    public func plan(paths: [String], overlappingChecks: Bool = false) throws -> FlashbackPlan {
        var state = try FlashbackPlanState(planner: self, paths: paths)
        if self.selection.only.isEmpty {
            try self.readRange(paths: paths, state: &state)
        } else {
            try self.readOnly(paths: paths, state: &state)
        }
        return try state.finish(overlappingChecks: overlappingChecks)
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `--only`: each transaction from where it starts to its end, then the DDL after the first.
    private func readOnly(paths: [String], state: inout FlashbackPlanState) throws {
        let segments = try SelectionLocator(paths: paths, verifyChecksums: self.verifyChecksums)
            .segments(for: self.selection.only)
        if let first = segments.first {
            state.tailCheck = self.ddlCheck(paths: paths, file: first.file, from: first.start)
        }
        for segment in segments where !segment.targets.allSatisfy({ state.found.contains($0) }) {
            try state.closeOpenGroup()
            var scanner = try BinlogFileScanner(path: paths[segment.file], verifyChecksums: self.verifyChecksums)
            if let start = segment.start { scanner.seek(to: start) }
            while let (position, header) = try scanner.nextHeader() {
                let record = try Self.record(
                    &scanner,
                    position: position,
                    header: header,
                    selected: state.groupSelected
                )
                try state.observe(record, scanner: scanner, fileIndex: segment.file)
                if state.tracker.openTransaction == nil && segment.targets.allSatisfy({ state.found.contains($0) }) {
                    break
                }
            }
        }
        try state.closeOpenGroup()
    }

    /// `--since`/`--until`: every transaction from the `--since` position (or the first file) to the `--until`
    /// position (or the end), then the DDL after it.
    private func readRange(paths: [String], state: inout FlashbackPlanState) throws {
        var firstFile = 0
        var start: UInt64?
        if case .position(let file, let offset) = self.selection.since {
            // A range that starts in a file not read selects nothing (finish() says so).
            guard let index = state.fileNames.firstIndex(of: file) else { return }
            firstFile = index
            let locator = SelectionLocator(paths: paths, verifyChecksums: self.verifyChecksums)
            // Not where a transaction starts: read the file from its start, the selection finds the first one after.
            start = locator.startsTransaction(file: index, at: offset) ? offset : nil
        }
        var until: BinlogBound?
        if case .position = self.selection.until { until = self.selection.until }
        let order = state.fileOrder
        for index in firstFile..<paths.count {
            var scanner = try BinlogFileScanner(path: paths[index], verifyChecksums: self.verifyChecksums)
            if index == firstFile, let start { scanner.seek(to: start) }
            while let (position, header) = try scanner.nextHeader() {
                if let until, state.tracker.openTransaction == nil,
                    until.isAtOrBefore(
                        file: state.fileNames[index],
                        offset: position,
                        timestamp: 0,
                        fileOrder: { order[$0] }
                    )
                {
                    // The rest of the binlogs is after the range: only its DDL matters.
                    try state.closeOpenGroup()
                    state.tailCheck = self.ddlCheck(paths: paths, file: index, from: position)
                    return
                }
                let record = try Self.record(
                    &scanner,
                    position: position,
                    header: header,
                    selected: state.groupSelected
                )
                try state.observe(record, scanner: scanner, fileIndex: index)
            }
        }
    }

    /// The check of the DDL from `file` at `start` (its first event when `nil`) to the end of the last file,
    /// its scan started now on another thread (``DDLTailScan``): an affected table altered or dropped since the
    /// selection is refused.
    private func ddlCheck(paths: [String], file: Int, from start: UInt64?) -> DDLCheck {
        DDLCheck(scan: DDLTailScan(paths: paths, file: file, from: start, verifyChecksums: self.verifyChecksums))
    }

    /// The event whose header was just read: decoded when the first pass needs its body (see
    /// ``FlashbackPlanState/wants(_:selected:)``), else an `ignorable` record with its header, which the
    /// transaction tracker counts like any event inside a transaction.
    private static func record(
        _ scanner: inout BinlogFileScanner,
        position: UInt64,
        header: BinlogEventHeader,
        selected: Bool
    ) throws -> BinlogEventRecord {
        guard FlashbackPlanState.wants(header, selected: selected) else {
            return BinlogEventRecord(position: position, header: header, event: .ignorable(header.type), checksum: nil)
        }
        return try scanner.decode()
    }
}
