import BinlogFormat

/// Counts per file and per table: transactions, row events, rows by operation, time and GTID ranges, sizes.
public struct BinlogStatistics: Codable, Equatable, Sendable {
    public struct Counts: Codable, Equatable, Sendable {
        public var transactions = 0
        public var rowEvents = 0
        public var inserted = 0
        public var updated = 0
        public var deleted = 0
        public var statements = 0
        public init() {}
    }

    public struct File: Codable, Equatable, Sendable {
        public var name: String
        public var bytes: UInt64
        public var serverVersion: String?
        public var checksum: String?
        public var events = 0
        /// Event counts by type name, sorted by name.
        public var eventTypes: [String: Int] = [:]
        public var counts = Counts()
        public var firstTimestamp: UInt32?
        public var lastTimestamp: UInt32?
        public var firstGTID: String?
        public var lastGTID: String?
        /// PREVIOUS_GTIDS (MySQL) or GTID_LIST (MariaDB) at the file's start.
        public var previousGTIDs: String?
        /// `rotate`, `stop`, or `open` (the file has no closing event: the server is still writing it, or crashed).
        public var ending = "open"
        public var nextFile: String?
        public var error: String?

        /// The JSON keys (snake_case, as every `--format json` output; `previous_gtids`, not the
        /// `previous_gti_ds` an automatic conversion makes of `previousGTIDs`).
        enum CodingKeys: String, CodingKey {
            case name, bytes, events, counts, ending, error
            case serverVersion = "server_version"
            case checksum
            case eventTypes = "event_types"
            case firstTimestamp = "first_timestamp"
            case lastTimestamp = "last_timestamp"
            case firstGTID = "first_gtid"
            case lastGTID = "last_gtid"
            case previousGTIDs = "previous_gtids"
            case nextFile = "next_file"
        }
    }

    public struct Table: Codable, Equatable, Sendable {
        public var database: String
        public var table: String
        public var counts = Counts()
        public var firstTimestamp: UInt32?
        public var lastTimestamp: UInt32?
    }

    public var files: [File] = []
    /// Tables sorted by name.
    public var tables: [Table] = []
    public var totals = Counts()

    public init() {}

    /// Reads `paths` in order and counts.
    ///
    /// - Parameters:
    ///   - forceRead: go on past events that do not decode (and row events without their TABLE_MAP), where the
    ///     framing allows; they are still returned in `errors`.
    ///   - verifyChecksums: check CRC32 trailers (`--no-verify-checksums` turns it off).
    /// - Throws: ``RecoveryError`` when a file cannot be opened. Decoding errors (each naming file and byte) are
    ///   recorded per file (``File/error``) and also returned in `errors`; reading goes on with the next file.
    public static func collect(
        paths: [String], forceRead: Bool = false, verifyChecksums: Bool = true,
        progress: ((String, UInt64) -> Void)? = nil
    ) throws -> (BinlogStatistics, [BinlogDecodingError]) {
        var statistics = BinlogStatistics()
        var tables: [String: Table] = [:]
        var errors: [BinlogDecodingError] = []
        for path in paths {
            var reader = try LocalBinlogFile(path: path, forceRead: forceRead, verifyChecksums: verifyChecksums)
            var file = File(name: path.split(separator: "/").last.map(String.init) ?? path, bytes: 0)
            var tracker = TransactionTracker(countsRows: true)
            func account(_ summary: TransactionSummary) {
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
                    var table = tables[change.qualifiedName] ?? Table(database: change.database, table: change.table)
                    table.counts.transactions += 1
                    table.counts.rowEvents += change.rowEvents
                    table.counts.inserted += change.inserted
                    table.counts.updated += change.updated
                    table.counts.deleted += change.deleted
                    table.firstTimestamp = min(table.firstTimestamp ?? summary.firstTimestamp, summary.firstTimestamp)
                    table.lastTimestamp = max(table.lastTimestamp ?? summary.lastTimestamp, summary.lastTimestamp)
                    tables[change.qualifiedName] = table
                }
            }
            do {
                while let record = try reader.next() {
                    file.events += 1
                    file.eventTypes[record.header.type.name, default: 0] += 1
                    if record.header.timestamp != 0 {
                        file.firstTimestamp = min(
                            file.firstTimestamp ?? record.header.timestamp, record.header.timestamp)
                        file.lastTimestamp = max(file.lastTimestamp ?? 0, record.header.timestamp)
                    }
                    switch record.event {
                    case .formatDescription(let description):
                        file.serverVersion = file.serverVersion ?? description.serverVersion
                        file.checksum = description.checksumAlgorithm.description
                    case .startV3(let start): file.serverVersion = start.serverVersion
                    case .previousGTIDs(let event): file.previousGTIDs = event.gtids.description
                    case .mariadbGTIDList(let event):
                        file.previousGTIDs = event.gtids.map(\.description).joined(separator: ",")
                    case .rotate(let rotate):
                        if !record.header.isArtificial {
                            file.ending = "rotate"
                            file.nextFile = rotate.nextFileName
                        }
                    case .stop: file.ending = "stop"
                    default: break
                    }
                    if file.events & 0xFFF == 0 { progress?(file.name, record.position) }
                    if let error = record.missingTableMapError(context: reader.context, fileName: file.name) {
                        guard forceRead else { throw error }
                        errors.append(error)
                    }
                    do {
                        for summary in try tracker.observe(record, context: reader.context) { account(summary) }
                    } catch let error as BinlogDecodingError {
                        // Rows are counted here, after the reader: name the file and event as the reader does.
                        let full = error.adding(
                            eventType: record.header.type, position: record.position, fileName: file.name)
                        guard forceRead else { throw full }
                        errors.append(full)
                    }
                }
            } catch let error as BinlogDecodingError {
                file.error = error.description
                errors.append(error)
            }
            errors.append(contentsOf: reader.skippedErrors)
            if let open = tracker.finish() { account(open) }
            file.bytes = reader.position
            statistics.totals.transactions += file.counts.transactions
            statistics.totals.rowEvents += file.counts.rowEvents
            statistics.totals.inserted += file.counts.inserted
            statistics.totals.updated += file.counts.updated
            statistics.totals.deleted += file.counts.deleted
            statistics.totals.statements += file.counts.statements
            statistics.files.append(file)
        }
        statistics.tables = tables.keys.sorted().compactMap { tables[$0] }
        return (statistics, errors)
    }
}
