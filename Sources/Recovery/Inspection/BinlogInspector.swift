import BinlogFormat

/// The read loop of `binlog show` and the timeline: takes the events of a ``BinlogEventSource`` (files, an archive, a
/// server), judges each with the ``BinlogEventFilter`` (knowing its transaction's GTID from ``TransactionBoundary``)
/// and hands each event shown, with what a listing needs to print it, to a callback. Printing is the caller's.
public struct BinlogInspector: Sendable {
    public var filter: BinlogEventFilter
    /// Go on past events that cannot be shown (row events without their TABLE_MAP, events that do not decode: give
    /// the source `forceRead` too), collecting the errors in the report.
    public var forceRead: Bool

    public init(filter: BinlogEventFilter = BinlogEventFilter(), forceRead: Bool = false) {
        self.filter = filter
        self.forceRead = forceRead
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

    /// Reads `source` in order, calling `body` for each event the filter shows.
    ///
    /// - Throws: ``InspectionError`` for the first event or file that cannot be read (naming file and offset, with
    ///   the report so far) unless ``forceRead`` is set, in which case errors are collected in the report;
    ///   ``RecoveryError`` when a file cannot be opened; ``MySQLError`` when a server cannot be read.
    public func read(
        _ source: BinlogEventSource, progress: ((_ file: String, _ position: UInt64) -> Void)? = nil,
        _ body: (Item) throws -> Void
    ) async throws -> Report {
        var report = Report()
        var selection: Selection?
        var selectedFile = -1
        for try await batch in source {
            if selection == nil || selectedFile != batch.file.index {
                selectedFile = batch.file.index
                selection = Selection(
                    filter: self.filter, fileName: batch.file.name, isFirstFile: batch.file.isFirst,
                    isLastFile: batch.file.isLast)
            }
            for event in batch.events {
                report.eventsRead += 1
                if let error = event.record.missingTableMapError(context: event.context, fileName: event.fileName) {
                    report.errors.append(error)
                    guard self.forceRead else { throw InspectionError(underlying: error, report: report) }
                }
                if try selection!.process(event.record, context: event.context, report: &report, emit: body) {
                    report.stoppedEarly = true
                    return report
                }
            }
            if let last = batch.events.last { progress?(last.fileName, last.position) }
            guard let end = batch.end else { continue }
            report.bytesRead += end.bytesRead
            report.errors += end.skippedErrors
            if let error = end.error {
                report.errors.append(error)
                guard self.forceRead else { throw InspectionError(underlying: error, report: report) }
            } else {
                try selection!.finish(report: &report, emit: body)
            }
            selection = nil
        }
        return report
    }
}

/// A read that stopped on an error, with what was read before it.
public struct InspectionError: Error, CustomStringConvertible {
    public var underlying: BinlogDecodingError
    public var report: BinlogInspector.Report
    public var description: String { self.underlying.description }
}
