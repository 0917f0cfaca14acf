/// What one transaction (an event group: GTID/BEGIN … XID/COMMIT, or one DDL) did, without its events:
/// enough for a timeline, statistics and finding a destructive statement, in constant memory.
public struct TransactionSummary: Hashable, Sendable {
    /// How the group ended.
    public enum Ending: String, Hashable, Sendable, Codable {
        /// `XID_EVENT` (a transactional engine's commit).
        case xid
        /// A `COMMIT` query (non-transactional engines, statement format).
        case commit
        /// A `ROLLBACK` query (a group with non-transactional changes that was rolled back).
        case rollback
        /// A single DDL or auto-committed statement.
        case statement
        /// `XA PREPARE` (`XA_PREPARE_LOG_EVENT`, or a MariaDB XA GTID).
        case xaPrepare
        /// The input ended (or a new group began) before the group ended.
        case incomplete
    }

    /// Row changes to one table.
    public struct TableChanges: Hashable, Sendable {
        public var database: String
        public var table: String
        public var rowEvents = 0
        public var inserted = 0
        public var updated = 0
        public var deleted = 0
        public init(database: String, table: String) {
            self.database = database
            self.table = table
        }
        public var qualifiedName: String { "\(self.database).\(self.table)" }
    }

    public var gtid: GTID?
    /// Byte offset of the group's first event (GTID or BEGIN).
    public var startPosition: UInt64
    /// Byte offset just after the group's last event: where a restore that includes it stops.
    public var endPosition: UInt64
    public var firstTimestamp: UInt32
    public var lastTimestamp: UInt32
    /// MySQL 8's commit timestamp (microseconds since the epoch) from the GTID event.
    public var commitTimestampMicros: UInt64?
    public var serverID: UInt32
    public var ending: Ending
    /// Row changes by table, in first-seen order.
    public var tables: [TableChanges]
    /// Statement texts (DDL, statement-format DML), each cut to ``maximumStatementLength`` bytes.
    public var statements: [[UInt8]]
    /// Row-statement texts from ROWS_QUERY / ANNOTATE_ROWS events, cut likewise.
    public var rowsQueries: [[UInt8]]
    public var eventCount: Int
    /// Bytes of the group in the binlog.
    public var byteCount: UInt64 { self.endPosition >= self.startPosition ? self.endPosition - self.startPosition : 0 }

    /// Statement texts longer than this are cut in summaries.
    public static let maximumStatementLength = 1024

    public var insertedRows: Int { self.tables.reduce(0) { $0 + $1.inserted } }
    public var updatedRows: Int { self.tables.reduce(0) { $0 + $1.updated } }
    public var deletedRows: Int { self.tables.reduce(0) { $0 + $1.deleted } }
}
