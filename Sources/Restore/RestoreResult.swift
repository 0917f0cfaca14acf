/// What a restore did and what it proved.
public struct RestoreResult: Codable, Hashable, Sendable {
    /// One check after the apply.
    public struct Check: Codable, Hashable, Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    public var target: String
    public var loadedTables: Int
    public var loadedRows: UInt64
    public var appliedTransactions: Int
    public var appliedStatements: Int
    public var appliedRows: Int
    /// Whether the original GTIDs were kept on the target (its binlog is on).
    public var keptGTIDs: Bool
    /// Whether this run continued an interrupted restore.
    public var resumed: Bool
    public var checks: [Check]
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case target, loadedTables, loadedRows, appliedTransactions, appliedStatements, appliedRows
        // Spelled so that the snake-case strategy gives `kept_gtids`.
        case keptGTIDs = "keptGtids"
        case resumed, checks, seconds
    }
}

/// What a restore reports while it works (for progress lines and logfmt).
public enum RestoreEvent: Sendable {
    case step(String)
    /// Transactions applied so far, out of the plan's; bytes of the planned binlog ranges read, out of their total.
    case applied(transactions: Int, of: Int, bytes: UInt64, totalBytes: UInt64)
}
