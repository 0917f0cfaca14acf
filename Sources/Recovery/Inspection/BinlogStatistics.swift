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

    /// Reads `source` in order and counts.
    ///
    /// Transactions are ``TransactionTracker``'s (as the archive index and the timeline count them). With
    /// `forceRead` (give the source `forceRead` too) the counting goes on past row events that cannot be counted
    /// (no TABLE_MAP before them); they are still returned in `errors`.
    ///
    /// - Throws: ``RecoveryError`` when a file cannot be opened; ``MySQLError`` when a server cannot be read.
    ///   Decoding errors (each naming file and byte) are recorded per file (``File/error``) and also returned in
    ///   `errors`; reading goes on with the next file.
    public static func collect(
        _ source: BinlogEventSource, forceRead: Bool = false, progress: ((String, UInt64) -> Void)? = nil
    ) async throws -> (BinlogStatistics, [BinlogDecodingError]) {
        var collector = StatisticsCollector(forceRead: forceRead)
        var batches = source.makeAsyncIterator()
        while let batch = try await batches.next() {
            if !collector.take(batch) && batch.end == nil { batches.endFile() }
            if let last = batch.events.last { progress?(last.fileName, last.position) }
        }
        return collector.result()
    }
}
