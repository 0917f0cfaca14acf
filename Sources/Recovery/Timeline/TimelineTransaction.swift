import Foundation

/// One transaction of a timeline: where it is, when it committed, what it changed, and why it looks destructive.
///
/// Encodes as one JSON object (`rewind timeline --format json`, schema in docs/timeline.md).
public struct TimelineTransaction: Hashable, Sendable, Codable {
    /// Where the commit time comes from.
    public enum TimeSource: String, Hashable, Sendable, Codable {
        /// MySQL 8's `original_commit_timestamp` in the GTID event (microseconds).
        case commitTimestamp = "commit_timestamp"
        /// The timestamp (seconds) of the transaction's last event (XID, COMMIT, or the DDL itself).
        case eventTime = "event_time"
    }

    /// Rows one transaction changed in one table.
    public struct TableChange: Hashable, Sendable, Codable {
        public var database: String
        public var table: String
        public var inserted: Int
        public var updated: Int
        public var deleted: Int
        /// The table's column names at this position: from the binlog (`binlog_row_metadata=FULL`), or from a
        /// backup's schema followed through the DDL before it; `nil` when neither knows them.
        public var columns: [String]?
        /// The table's rows before this transaction, when known (a backup's count plus the changes before).
        public var rowsBefore: Int?

        public init(
            database: String,
            table: String,
            inserted: Int = 0,
            updated: Int = 0,
            deleted: Int = 0,
            columns: [String]? = nil,
            rowsBefore: Int? = nil
        ) {
            self.database = database
            self.table = table
            self.inserted = inserted
            self.updated = updated
            self.deleted = deleted
            self.columns = columns
            self.rowsBefore = rowsBefore
        }

        public var name: QualifiedTable { QualifiedTable(database: self.database, table: self.table) }

        enum CodingKeys: String, CodingKey {
            case database, table, inserted, updated, deleted, columns
            case rowsBefore = "rows_before"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.database, forKey: .database)
            try container.encode(self.table, forKey: .table)
            try container.encode(self.inserted, forKey: .inserted)
            try container.encode(self.updated, forKey: .updated)
            try container.encode(self.deleted, forKey: .deleted)
            try container.encode(self.columns, forKey: .columns)
            try container.encode(self.rowsBefore, forKey: .rowsBefore)
        }
    }

    /// One reason a transaction is flagged.
    public struct Suspicion: Hashable, Sendable, Codable {
        public var reason: SuspicionReason
        /// What was seen, in a few words (table, rows, share).
        public var detail: String

        public init(reason: SuspicionReason, detail: String) {
            self.reason = reason
            self.detail = detail
        }
    }

    public var gtid: String?
    /// The binlog file the transaction is in.
    public var file: String
    public var startPosition: UInt64
    public var endPosition: UInt64
    /// Microseconds since the epoch (UTC); whole seconds when ``commitTimeSource`` is ``TimeSource/eventTime``.
    public var commitTimeMicros: Int64
    public var commitTimeSource: TimeSource
    public var tables: [TableChange]
    /// DDL and statement-format DML texts, then the DML statement texts the binlog kept (ROWS_QUERY /
    /// ANNOTATE_ROWS), decoded as UTF-8 (invalid bytes replaced).
    public var statements: [String]
    public var suspicious: [Suspicion]
    /// Commands that would repair a flagged transaction (empty when it is not flagged).
    public var repair: [String]
    /// Tables the statements name (DDL), resolved against their default database; a `DROP DATABASE` names
    /// `database.""`. Used by filters; not encoded.
    public var namedTables: [QualifiedTable] = []

    public init(
        gtid: String?,
        file: String,
        startPosition: UInt64,
        endPosition: UInt64,
        commitTimeMicros: Int64,
        commitTimeSource: TimeSource,
        tables: [TableChange] = [],
        statements: [String] = [],
        suspicious: [Suspicion] = [],
        repair: [String] = []
    ) {
        self.gtid = gtid
        self.file = file
        self.startPosition = startPosition
        self.endPosition = endPosition
        self.commitTimeMicros = commitTimeMicros
        self.commitTimeSource = commitTimeSource
        self.tables = tables
        self.statements = statements
        self.suspicious = suspicious
        self.repair = repair
    }

    /// How repair commands name this transaction: its GTID, or `FILE:POS` where it starts.
    public var identifier: String { self.gtid ?? "\(self.file):\(self.startPosition)" }

    /// The commands that repair this transaction, filled in with ``identifier``: a restore before it or without it,
    /// and, when flashback can undo it (``isUndoable``), its undo in place.
    public var repairCommands: [String] {
        Self.repairCommands(for: self.identifier, undoable: self.isUndoable)
    }

    /// Whether `rewind flashback` can undo it: it changed rows (row events), and it is not DDL (a DROP, TRUNCATE or
    /// ALTER, which flashback refuses: their rows are not in the binlog).
    public var isUndoable: Bool {
        let ddl: Set<SuspicionReason> = [.dropTable, .dropDatabase, .truncate, .alterDrop]
        return self.tables.contains { $0.inserted + $0.updated + $0.deleted > 0 }
            && !self.suspicious.contains { ddl.contains($0.reason) }
    }

    /// The repair commands for a transaction named `identifier`; the flashback only when `undoable`.
    public static func repairCommands(for identifier: String, undoable: Bool = true) -> [String] {
        [
            "rewind restore --before \(identifier)",
            "rewind restore --skip \(identifier)",
        ] + (undoable ? ["rewind flashback --only \(identifier)"] : [])
    }

    /// The commit time as RFC 3339 in UTC (`2026-11-30T08:43:47Z`, or with 6 fraction digits for a commit
    /// timestamp).
    public var commitTimeText: String {
        let seconds =
            self.commitTimeMicros >= 0
            ? self.commitTimeMicros / 1_000_000 : (self.commitTimeMicros - 999_999) / 1_000_000
        let micros = self.commitTimeMicros - seconds * 1_000_000
        var text = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt)
        )
        if self.commitTimeSource == .commitTimestamp {
            text.removeLast()  // "Z"
            let digits = String(micros)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
        }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case gtid, file, tables, statements, suspicious, repair
        case startPosition = "start_position"
        case endPosition = "end_position"
        case commitTime = "commit_time"
        case commitTimeSource = "commit_time_source"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.gtid, forKey: .gtid)
        try container.encode(self.file, forKey: .file)
        try container.encode(self.startPosition, forKey: .startPosition)
        try container.encode(self.endPosition, forKey: .endPosition)
        try container.encode(self.commitTimeText, forKey: .commitTime)
        try container.encode(self.commitTimeSource, forKey: .commitTimeSource)
        try container.encode(self.tables, forKey: .tables)
        try container.encode(self.statements, forKey: .statements)
        try container.encode(self.suspicious, forKey: .suspicious)
        try container.encode(self.repair, forKey: .repair)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.gtid = try container.decodeIfPresent(String.self, forKey: .gtid)
        self.file = try container.decode(String.self, forKey: .file)
        self.startPosition = try container.decode(UInt64.self, forKey: .startPosition)
        self.endPosition = try container.decode(UInt64.self, forKey: .endPosition)
        self.commitTimeSource = try container.decode(TimeSource.self, forKey: .commitTimeSource)
        let text = try container.decode(String.self, forKey: .commitTime)
        guard let micros = Self.parseTime(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .commitTime,
                in: container,
                debugDescription: "not an RFC 3339 UTC time: \(text)"
            )
        }
        self.commitTimeMicros = micros
        self.tables = try container.decode([TableChange].self, forKey: .tables)
        self.statements = try container.decode([String].self, forKey: .statements)
        self.suspicious = try container.decode([Suspicion].self, forKey: .suspicious)
        self.repair = try container.decode([String].self, forKey: .repair)
    }

    /// Microseconds of `2026-11-30T08:43:47[.ffffff]Z`.
    static func parseTime(_ text: String) -> Int64? {
        var whole = text
        var micros: Int64 = 0
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...].dropLast()
            guard fraction.count == 6, let value = Int64(fraction) else { return nil }
            micros = value
            whole = String(text[..<dot]) + "Z"
        }
        guard let date = try? Date(whole, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) else { return nil }
        return Int64(date.timeIntervalSince1970) * 1_000_000 + micros
    }
}
