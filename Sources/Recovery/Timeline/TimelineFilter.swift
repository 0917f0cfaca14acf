/// Which transactions a timeline lists (all are read: counts and schema follow every one).
public struct TimelineFilter: Sendable, Equatable {
    /// Microseconds since the epoch; transactions that committed before are left out.
    public var since: Int64?
    /// Microseconds since the epoch; transactions that committed at or after are left out.
    public var until: Int64?
    /// Database names; a transaction is listed when it changes or names a table of one of them.
    public var databases: Set<String>
    /// Tables; a transaction is listed when it changes or names one of them.
    public var tables: Set<QualifiedTable>
    /// Only flagged transactions (`--suspicious`).
    public var onlySuspicious: Bool

    public init(
        since: Int64? = nil,
        until: Int64? = nil,
        databases: Set<String> = [],
        tables: Set<QualifiedTable> = [],
        onlySuspicious: Bool = false
    ) {
        self.since = since
        self.until = until
        self.databases = databases
        self.tables = tables
        self.onlySuspicious = onlySuspicious
    }

    /// Whether `transaction` is in the window and touches the tables asked for (flags are not looked at).
    public func isInWindow(_ transaction: TimelineTransaction) -> Bool {
        if let since, transaction.commitTimeMicros < since { return false }
        if let until, transaction.commitTimeMicros >= until { return false }
        if self.databases.isEmpty && self.tables.isEmpty { return true }
        let named = transaction.tables.map(\.name) + transaction.namedTables
        return named.contains { table in
            if table.table.isEmpty {  // DROP DATABASE
                return self.databases.contains(table.database) || self.tables.contains { $0.database == table.database }
            }
            return (self.databases.isEmpty || self.databases.contains(table.database))
                && (self.tables.isEmpty || self.tables.contains(table))
        }
    }
}
