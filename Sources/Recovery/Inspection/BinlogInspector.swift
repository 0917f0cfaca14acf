import BinlogFormat

/// Reads binlog files in order and hands each event, with what a listing needs to print it, to a callback.
/// Reading and filtering live here; printing is the caller's.
public struct BinlogInspector: Sendable {
    public var filter: BinlogEventFilter
    public var forceRead: Bool
    public var verifyChecksums: Bool

    public init(filter: BinlogEventFilter = BinlogEventFilter(), forceRead: Bool = false, verifyChecksums: Bool = true)
    {
        self.filter = filter
        self.forceRead = forceRead
        self.verifyChecksums = verifyChecksums
    }

    /// One event to show.
    public struct Item: Sendable {
        public var fileName: String
        public var record: BinlogEventRecord
        /// The decoding state after the event (table maps for ROWS events).
        public var context: BinlogDecodingContext
        /// GTID of the transaction the event belongs to.
        public var transactionGTID: GTID?
    }

    /// What went wrong on the way, when the read went on (``forceRead``) or stopped at a bad file tail.
    public struct Report: Sendable {
        public var errors: [BinlogDecodingError] = []
        public var eventsRead = 0
        public var eventsShown = 0
        public var bytesRead: UInt64 = 0
        public var stoppedEarly = false
    }

    /// Reads `paths` in order, calling `body` for each event the filter shows.
    ///
    /// - Throws: the first ``BinlogDecodingError`` (with file and offset) unless ``forceRead`` is set, in
    ///   which case errors are collected in the report; ``RecoveryError`` when a file cannot be read.
    public func read(
        paths: [String], progress: ((_ file: String, _ position: UInt64) -> Void)? = nil,
        _ body: (Item) throws -> Void
    ) throws -> Report {
        var report = Report()
        for (index, path) in paths.enumerated() {
            var file = try LocalBinlogFile(path: path, forceRead: self.forceRead, verifyChecksums: self.verifyChecksums)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            var selection = Selection(
                filter: self.filter, fileName: name, isFirstFile: index == 0, isLastFile: index == paths.count - 1)
            var stop = false
            do {
                while !stop, let record = try file.next() {
                    report.eventsRead += 1
                    if report.eventsRead & 0xFFF == 0 { progress?(name, record.position) }
                    if let error = record.missingTableMapError(context: file.context, fileName: name) {
                        guard self.forceRead else { throw error }  // ends the read below, as any decoding error
                        report.errors.append(error)
                    }
                    stop = try selection.process(record, context: file.context, report: &report, emit: body)
                }
                if !stop { try selection.finish(report: &report, emit: body) }
            } catch let error as BinlogDecodingError {
                report.errors.append(contentsOf: file.skippedErrors)
                report.bytesRead += file.position
                guard self.forceRead else {
                    report.errors.append(error)
                    throw InspectionError(underlying: error, report: report)
                }
                report.errors.append(error)
                continue
            }
            report.errors.append(contentsOf: file.skippedErrors)
            report.bytesRead += file.position
            if stop { break }
        }
        return report
    }

    /// Follows group boundaries so every event knows its transaction's GTID.
    struct GroupState {
        var gtid: GTID?
        var inGroup = false
        var sawBegin = false

        /// Updates the state for `event`; the event belongs to the group `gtid` names before ``leave()``.
        mutating func enter(_ event: BinlogEvent) {
            switch event {
            case .gtid(let event):
                self = GroupState(gtid: event.gtid, inGroup: true, sawBegin: false)
            case .mariadbGTID(let event):
                self = GroupState(gtid: event.gtid, inGroup: true, sawBegin: !event.isStandalone)
            case .query(let query):
                if query.isBegin || query.isXAStart {
                    self.inGroup = true
                    self.sawBegin = true
                } else if query.isCommit || query.isRollback || !self.sawBegin {
                    self.inGroup = false
                }
            case .xid, .xaPrepare:
                self.inGroup = false
            default:
                break
            }
        }

        /// Called after the event was handled: forgets the GTID once its group ended.
        mutating func leave() {
            if !self.inGroup { self = GroupState() }
        }
    }
}

/// A read that stopped on an error, with what was read before it.
public struct InspectionError: Error, CustomStringConvertible {
    public var underlying: BinlogDecodingError
    public var report: BinlogInspector.Report
    public var description: String { self.underlying.description }
}
