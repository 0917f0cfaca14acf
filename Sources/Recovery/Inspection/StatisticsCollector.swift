import BinlogFormat

/// Counts the batches of a ``BinlogEventSource`` into ``BinlogStatistics``: per file, per table and in total.
/// Pure (no I/O), so tests feed it events built in memory.
struct StatisticsCollector {
    let forceRead: Bool
    private var statistics = BinlogStatistics()
    private var tables: [String: BinlogStatistics.Table] = [:]
    private var errors: [BinlogDecodingError] = []
    /// The file being counted, and its transactions.
    private var file: BinlogStatistics.File?
    private var fileIndex = -1
    private var tracker = Self.newTracker()
    /// Whether the current file's counting stopped at an error (its remaining events are not counted).
    private var stopped = false

    init(forceRead: Bool = false) {
        self.forceRead = forceRead
    }

    private static func newTracker() -> TransactionTracker { TransactionTracker(countsRows: true) }

    /// Counts `batch`.
    ///
    /// - Returns: `false` when the rest of the batch's file is not to be counted (an error without `forceRead`).
    mutating func take(_ batch: BinlogEventBatch) -> Bool {
        if self.file == nil || self.fileIndex != batch.file.index {
            self.endFile()
            self.file = BinlogStatistics.File(name: batch.file.name, bytes: 0)
            self.fileIndex = batch.file.index
            self.tracker = Self.newTracker()
            self.stopped = false
        }
        if !self.stopped {
            for index in batch.events.indices {
                do {
                    try self.count(batch.events[index])  // borrowed, not copied (an event holds several references)
                } catch let error as BinlogDecodingError {
                    self.errors.append(error)
                    guard self.forceRead else {
                        self.file?.error = error.description
                        self.stopped = true
                        break
                    }
                } catch {
                    preconditionFailure("counting throws decoding errors only: \(error)")
                }
            }
        }
        if let end = batch.end {
            self.file?.bytes = end.bytesRead
            if let error = end.error {
                if self.file?.error == nil { self.file?.error = error.description }
                self.errors.append(error)
            }
            self.errors += end.skippedErrors
            self.endFile()
        }
        return !self.stopped
    }

    /// The counts, and the errors met, in order.
    mutating func result() -> (BinlogStatistics, [BinlogDecodingError]) {
        self.endFile()
        var statistics = self.statistics
        statistics.tables = self.tables.keys.sorted().compactMap { self.tables[$0] }
        return (statistics, self.errors)
    }

    private mutating func count(_ event: BinlogSourceEvent) throws {
        let record = event.record
        // Taken out while it changes, so that its event-type dictionary is not copied on every event.
        guard var file = self.file.take() else { return }
        file.events += 1
        file.eventTypes[record.header.type.name, default: 0] += 1
        if record.header.timestamp != 0 {
            file.firstTimestamp = min(file.firstTimestamp ?? record.header.timestamp, record.header.timestamp)
            file.lastTimestamp = max(file.lastTimestamp ?? 0, record.header.timestamp)
        }
        switch record.event {
        case .formatDescription(let description):
            file.serverVersion = file.serverVersion ?? description.serverVersion
            file.checksum = description.checksumAlgorithm.description
        case .startV3(let start): file.serverVersion = start.serverVersion
        case .previousGTIDs(let previous): file.previousGTIDs = previous.gtids.description
        case .mariadbGTIDList(let list): file.previousGTIDs = list.gtids.map(\.description).joined(separator: ",")
        case .rotate(let rotate):
            if !record.header.isArtificial {
                file.ending = "rotate"
                file.nextFile = rotate.nextFileName
            }
        case .stop: file.ending = "stop"
        default: break
        }
        self.file = file
        if let error = record.missingTableMapError(context: event.context, fileName: event.fileName) {
            guard self.forceRead else { throw error }
            self.errors.append(error)
        }
        let closed: [TransactionSummary]
        do {
            closed = try self.tracker.observe(record, context: event.context)
        } catch let error as BinlogDecodingError {
            // Rows are counted here, after the reader: name the file and event as the reader does.
            throw error.adding(eventType: record.header.type, position: record.position, fileName: event.fileName)
        }
        for summary in closed { self.account(summary) }
    }

    /// Adds the open transaction and the file to the totals.
    private mutating func endFile() {
        guard let file = self.file else { return }
        if let open = self.tracker.finish() { self.account(open) }
        let counts = self.file?.counts ?? file.counts
        self.statistics.totals.transactions += counts.transactions
        self.statistics.totals.rowEvents += counts.rowEvents
        self.statistics.totals.inserted += counts.inserted
        self.statistics.totals.updated += counts.updated
        self.statistics.totals.deleted += counts.deleted
        self.statistics.totals.statements += counts.statements
        if let done = self.file { self.statistics.files.append(done) }
        self.file = nil
    }

    private mutating func account(_ summary: TransactionSummary) {
        guard var file = self.file.take() else { return }
        file.counts.transactions += 1
        if let gtid = summary.gtid {
            if file.firstGTID == nil { file.firstGTID = gtid.description }
            file.lastGTID = gtid.description
        }
        file.counts.statements += summary.statements.count
        for change in summary.tables {
            file.counts.rowEvents += change.rowEvents
            file.counts.inserted += change.inserted
            file.counts.updated += change.updated
            file.counts.deleted += change.deleted
            var table =
                self.tables[change.qualifiedName]
                ?? BinlogStatistics.Table(database: change.database, table: change.table)
            table.counts.transactions += 1
            table.counts.rowEvents += change.rowEvents
            table.counts.inserted += change.inserted
            table.counts.updated += change.updated
            table.counts.deleted += change.deleted
            table.firstTimestamp = min(table.firstTimestamp ?? summary.firstTimestamp, summary.firstTimestamp)
            table.lastTimestamp = max(table.lastTimestamp ?? summary.lastTimestamp, summary.lastTimestamp)
            self.tables[change.qualifiedName] = table
        }
        self.file = file
    }
}
