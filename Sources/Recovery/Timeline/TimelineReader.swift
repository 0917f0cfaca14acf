import BinlogFormat
import Foundation
import Logging
import MySQLWire

/// Reads binlogs (files, a directory, a server) into a timeline: the I/O around ``TimelineBuilder``.
///
/// Events come from a ``BinlogEventSource`` through ``BinlogInspector`` (no event filter: every transaction counts for the row counts and the
/// schema); the window (``TimelineFilter``) applies to whole transactions. `rate_spike` needs the whole window:
/// transactions are handed out as they end until the first one that `rate_spike` could flag (a table of unknown
/// row count losing many rows); from there on they are spooled to a temporary file (memory stays flat) and handed
/// out in a second pass. A caller that needs the window's time range first (`willList`) gets every transaction
/// through the spool.
public struct TimelineReader: Sendable {
    public var filter: TimelineFilter
    public var thresholds: TimelineThresholds
    public var backup: BackupSchema?
    public var verifyChecksums: Bool
    /// Statement texts are cut to this many bytes in the listed transactions (`nil`: whole, as JSON prints them).
    public var statementLimit: Int?

    public init(
        filter: TimelineFilter = TimelineFilter(),
        thresholds: TimelineThresholds = TimelineThresholds(),
        backup: BackupSchema? = nil,
        verifyChecksums: Bool = true,
        statementLimit: Int? = nil
    ) {
        self.statementLimit = statementLimit
        self.filter = filter
        self.thresholds = thresholds
        self.backup = backup
        self.verifyChecksums = verifyChecksums
    }

    /// What was read.
    public struct Summary: Sendable, Equatable {
        public var files: [String] = []
        public var transactions = 0
        public var listed = 0
        public var flagged = 0
        /// The earliest and latest commit time in the window (microseconds), known before the second pass.
        public var window: ClosedRange<Int64>?
    }

    /// Reads `input` and calls `emit` for each listed transaction, in commit order.
    ///
    /// - Parameters:
    ///   - willList: called before the spooled transactions are handed out, with the window's time range (for a
    ///     chart's axis); with `windowFirst` before the first `emit`.
    ///   - windowFirst: spool every transaction, so that `willList` comes before any `emit`.
    ///   - visit: called for every transaction in the window, listed or not (`--suspicious` lists only some).
    ///
    /// - Throws: ``InspectionError`` for a file that is not a binlog, is cut short or does not decode (with file and
    ///   offset); ``RecoveryError`` for a gap between files or a file that cannot be opened; ``MySQLError`` when
    ///   the server cannot be read.
    public func read(
        _ input: TimelineInput,
        logger: Logger,
        progress: ((_ file: String, _ position: UInt64) -> Void)? = nil,
        willList: ((Summary) -> Void)? = nil,
        windowFirst: Bool = false,
        visit: ((TimelineTransaction) -> Void)? = nil,
        _ emit: (TimelineTransaction) throws -> Void
    ) async throws -> Summary {
        var state = State(
            builder: TimelineBuilder(
                thresholds: self.thresholds,
                schema: self.backup?.schema ?? SchemaTracker(),
                rowCounts: self.backup?.rowCounts ?? [:],
                statementLimit: self.statementLimit
            ),
            filter: self.filter,
            spikes: RateSpikeDetector(
                factor: self.thresholds.rateSpikeFactor,
                minimumRows: self.thresholds.rateSpikeMinimumRows
            ),
            spool: try Spool(),
            streaming: !windowFirst,
            visit: visit
        )
        let inspector = BinlogInspector()
        switch input {
        case .files(let paths):
            guard !paths.isEmpty else { throw RecoveryError(reason: "no binlog files given") }
            let source = BinlogEventSource.files(paths, verifyChecksums: self.verifyChecksums)
            _ = try await inspector.read(source, progress: progress) { try state.take($0, emit) }
        case .directory(let directory):
            let files = try BinlogFileSequence.archiveFiles(directory)
            let openFile = files.last.flatMap { $0.isOpen ? $0.name : nil }
            let source = BinlogEventSource(directoryFiles: files, verifyChecksums: self.verifyChecksums)
            do {
                _ = try await inspector.read(source, progress: progress) { try state.take($0, emit) }
            } catch let error as InspectionError
                where error.underlying.code == .truncated && openFile != nil && error.underlying.fileName == openFile
            {
                // The archiver is writing the open file: the timeline ends at its last whole event, and the
                // transaction being written is not listed yet.
                state.dropOpenTransaction()
            }
        case .remote(var files, let configuration, let serverID):
            if files.isEmpty {
                files = try await MySQLConnection.withConnection(configuration: configuration, logger: logger) {
                    try await $0.rows("SHOW BINARY LOGS").compactMap { $0[0].string }
                }
            }
            guard !files.isEmpty else { throw RecoveryError(reason: "the server lists no binary logs") }
            let source = BinlogEventSource.server(
                files: files, configuration: configuration, serverID: serverID, logger: logger,
                verifyChecksums: self.verifyChecksums)
            _ = try await inspector.read(source, progress: progress) { try state.take($0, emit) }
        }
        try state.endOfFile(emit)
        willList?(state.summary)
        return try state.replay(emit)
    }

    /// The first pass: events in, window transactions to the spool.
    private struct State: ~Copyable {
        var builder: TimelineBuilder
        let filter: TimelineFilter
        var spikes: RateSpikeDetector
        var spool: Spool
        var summary = Summary()
        /// Whether transactions are handed out as they end (no `rate_spike` candidate yet, window not needed first).
        var streaming: Bool
        let visit: ((TimelineTransaction) -> Void)?
        var currentFile: String?
        var rotatedTo: String?
        /// The last GTID of the file being read, and of the file before it until the next file's GTID state (MariaDB's
        /// GTID list, MySQL's previous GTIDs) has been checked against it.
        var lastGTID: GTID?
        var previousFileEnd: (file: String, gtid: GTID)?

        mutating func take(_ item: BinlogInspector.Item, _ emit: (TimelineTransaction) throws -> Void) throws {
            if item.fileName != self.currentFile {
                if let previous = self.currentFile {
                    try self.endOfFile(emit)
                    try BinlogFileSequence.checkContinuity(
                        previous: previous,
                        rotatedTo: self.rotatedTo,
                        next: item.fileName
                    )
                    self.previousFileEnd = self.lastGTID.map { (previous, $0) }
                }
                self.currentFile = item.fileName
                self.summary.files.append(item.fileName)
                self.rotatedTo = nil
                self.lastGTID = nil
            }
            switch item.record.event {
            case .rotate(let rotate) where !item.record.header.isArtificial:
                self.rotatedTo = rotate.nextFileName
            case .gtid(let event):
                if let gtid = event.gtid { self.lastGTID = gtid }
                self.previousFileEnd = nil
            case .mariadbGTID(let event):
                self.lastGTID = event.gtid
                self.previousFileEnd = nil
            case .mariadbGTIDList(let list):
                var state = GTIDSet()
                for gtid in list.gtids { state.insert(gtid) }
                try self.checkContinues(state, file: item.fileName)
            case .previousGTIDs(let previous):
                try self.checkContinues(previous.gtids, file: item.fileName)
            default:
                break
            }
            do {
                for transaction in try self.builder.observe(item.record, fileName: item.fileName, context: item.context)
                {
                    try self.list(transaction, emit)
                }
            } catch var error as BinlogDecodingError {
                error.position = error.position ?? item.record.position
                error.fileName = error.fileName ?? item.fileName
                throw InspectionError(underlying: error, report: BinlogInspector.Report())
            }
        }

        /// Names match (`checkContinuity`), but are the files one server's? A file's GTID state at its start holds
        /// every transaction of the server's earlier files: the last one of the file before must be in it. Files of
        /// another server with the same names, or from before a `RESET MASTER`, fail here.
        mutating func checkContinues(_ state: GTIDSet, file: String) throws {
            guard let (previous, gtid) = self.previousFileEnd else { return }
            self.previousFileEnd = nil
            guard !state.contains(gtid) else { return }
            throw RecoveryError(
                reason: "\(file) does not continue \(previous): \(previous) ends with transaction \(gtid), which is "
                    + "not in the GTID state \(file) starts with (\(state.isEmpty ? "empty" : state.description)); "
                    + "the files are another server's, or the binlog was reset between them: read them separately",
                path: file
            )
        }

        /// Forgets the transaction in progress (the input stops inside it and will go on later).
        mutating func dropOpenTransaction() {
            _ = self.builder.endOfFile()
        }

        mutating func endOfFile(_ emit: (TimelineTransaction) throws -> Void) throws {
            for transaction in self.builder.endOfFile() { try self.list(transaction, emit) }
        }

        mutating func list(_ transaction: TimelineTransaction, _ emit: (TimelineTransaction) throws -> Void) throws {
            self.summary.transactions += 1
            guard self.filter.isInWindow(transaction) else { return }
            self.spikes.count(transaction)
            let time = transaction.commitTimeMicros
            self.summary.window =
                self.summary.window.map { min($0.lowerBound, time)...max($0.upperBound, time) } ?? time...time
            if self.streaming && !self.spikes.couldFlag(transaction) {
                try Self.deliver(
                    transaction,
                    spikes: nil,
                    filter: self.filter,
                    summary: &self.summary,
                    visit: self.visit,
                    emit
                )
            } else {
                self.streaming = false
                try self.spool.append(transaction)
            }
        }

        /// Flags `rate_spike` (with the window's totals), applies `--suspicious`, hands the transaction on.
        static func deliver(
            _ transaction: TimelineTransaction,
            spikes: RateSpikeDetector?,
            filter: TimelineFilter,
            summary: inout Summary,
            visit: ((TimelineTransaction) -> Void)?,
            _ emit: (TimelineTransaction) throws -> Void
        ) throws {
            var transaction = transaction
            if let flags = spikes?.judge(transaction), !flags.isEmpty {
                transaction.suspicious += flags
                transaction.repair = transaction.repairCommands
            }
            if !transaction.suspicious.isEmpty { summary.flagged += 1 }
            visit?(transaction)
            guard !filter.onlySuspicious || !transaction.suspicious.isEmpty else { return }
            summary.listed += 1
            try emit(transaction)
        }

        /// The second pass: the spooled transactions, with `rate_spike` judged on the whole window.
        mutating func replay(_ emit: (TimelineTransaction) throws -> Void) throws -> Summary {
            var summary = self.summary
            let spikes = self.spikes
            let filter = self.filter
            let visit = self.visit
            try self.spool.replay { transaction in
                try Self.deliver(transaction, spikes: spikes, filter: filter, summary: &summary, visit: visit, emit)
            }
            return summary
        }
    }
}
