import BinlogFormat

/// Which events of a binlog a listing shows, as `mysqlbinlog`'s options choose them.
///
/// Positions apply as in `mysqlbinlog`: the start position to the first file, the stop position to the last.
/// The stop time ends the read at the first event at or after it. Database and table filters keep the events
/// of matching tables (row events and their table maps, and statements whose default database matches);
/// transaction boundaries (GTID, BEGIN, XID, COMMIT) stay, so the output keeps its shape. GTID filters keep
/// or drop whole transactions.
public struct BinlogEventFilter: Sendable, Equatable {
    public var startPosition: UInt64?
    public var stopPosition: UInt64?
    /// Seconds since the epoch (UTC); events before are skipped.
    public var startTime: Int64?
    /// Seconds since the epoch (UTC); the read ends at the first event at or after it.
    public var stopTime: Int64?
    /// Lower-cased database names; empty means all.
    public var databases: Set<String>
    /// Tables as `db.table` or `table`, lower-cased; empty means all.
    public var tables: Set<String>
    public var includeGTIDs: GTIDSet?
    public var excludeGTIDs: GTIDSet?
    /// Only events whose header names this server (`mysqlbinlog --server-id`); the file's own framing events
    /// (format description, rotate, GTID lists) always stay.
    public var serverID: UInt32?

    public init(
        startPosition: UInt64? = nil, stopPosition: UInt64? = nil, startTime: Int64? = nil, stopTime: Int64? = nil,
        databases: Set<String> = [], tables: Set<String> = [], includeGTIDs: GTIDSet? = nil,
        excludeGTIDs: GTIDSet? = nil, serverID: UInt32? = nil
    ) {
        self.serverID = serverID
        self.startPosition = startPosition
        self.stopPosition = stopPosition
        self.startTime = startTime
        self.stopTime = stopTime
        self.databases = Set(databases.map { $0.lowercased() })
        self.tables = Set(tables.map { $0.lowercased() })
        self.includeGTIDs = includeGTIDs
        self.excludeGTIDs = excludeGTIDs
    }

    /// What to do with one event.
    public enum Decision: Equatable, Sendable {
        case show, skip, stop
    }

    /// Decides for `record`.
    ///
    /// - Parameters:
    ///   - transactionGTID: the GTID of the group the event belongs to (`nil` outside a group or when anonymous).
    ///   - isFirstFile/isLastFile: where the position filters apply.
    public func decide(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, transactionGTID: GTID?, isFirstFile: Bool,
        isLastFile: Bool
    ) -> Decision {
        if isLastFile, let stop = self.stopPosition, record.position >= stop { return .stop }
        if let stopTime = self.stopTime, Int64(record.header.timestamp) >= stopTime, record.header.timestamp != 0,
            !Self.isFileFraming(record.event)
        {
            return .stop
        }
        if Self.isFileFraming(record.event) { return .show }
        if let serverID = self.serverID, record.header.serverID != serverID { return .skip }
        if isFirstFile, let start = self.startPosition, record.position < start { return .skip }
        if let startTime = self.startTime, Int64(record.header.timestamp) < startTime { return .skip }
        if let gtid = transactionGTID {
            if let include = self.includeGTIDs, !include.contains(gtid) { return .skip }
            if let exclude = self.excludeGTIDs, exclude.contains(gtid) { return .skip }
        } else if self.includeGTIDs != nil, Self.isInsideGroupContent(record.event) {
            return .skip
        }
        if self.databases.isEmpty && self.tables.isEmpty { return .show }
        switch record.event {
        case .tableMap(let map):
            return self.matches(database: map.database, table: map.table) ? .show : .skip
        case .rows(let rows):
            guard let map = context.tableMap(for: rows) else { return .skip }
            return self.matches(database: map.database, table: map.table) ? .show : .skip
        case .query(let query):
            if query.isBegin || query.isCommit || query.isRollback { return .show }
            guard self.tables.isEmpty else { return .skip }
            return self.databases.contains(query.databaseName.lowercased()) ? .show : .skip
        case .rowsQuery, .mariadbAnnotateRows, .intvar, .rand, .userVar, .loadData:
            return .skip
        default:
            return .show
        }
    }

    private func matches(database: String, table: String) -> Bool {
        let db = database.lowercased()
        let name = table.lowercased()
        if !self.databases.isEmpty && !self.databases.contains(db) { return false }
        if !self.tables.isEmpty && !self.tables.contains("\(db).\(name)") && !self.tables.contains(name) {
            return false
        }
        return true
    }

    /// Events that describe the file rather than a transaction: always shown (a reader needs them).
    static func isFileFraming(_ event: BinlogEvent) -> Bool {
        switch event {
        case .formatDescription, .rotate, .previousGTIDs, .mariadbGTIDList, .mariadbBinlogCheckpoint, .stop,
            .startV3, .mariadbStartEncryption:
            true
        default:
            false
        }
    }

    static func isInsideGroupContent(_ event: BinlogEvent) -> Bool {
        switch event {
        case .query, .rows, .tableMap, .xid, .rowsQuery, .mariadbAnnotateRows, .transactionPayload, .intvar, .rand,
            .userVar, .xaPrepare, .loadData:
            true
        default:
            false
        }
    }
}
