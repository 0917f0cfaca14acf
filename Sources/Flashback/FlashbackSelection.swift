import BinlogFormat
import Recovery

/// Which transactions and tables to undo: `--only` transactions, or every transaction that starts in
/// `[since, until)`, restricted to `--database`/`--table`.
public struct FlashbackSelection: Sendable, Equatable {
    public var only: [TransactionID]
    public var since: BinlogBound?
    public var until: BinlogBound?
    /// Lower-cased database names; empty means all.
    public var databases: Set<String>
    /// `db.table` or `table`, lower-cased; empty means all.
    public var tables: Set<String>

    public init(
        only: [TransactionID] = [], since: BinlogBound? = nil, until: BinlogBound? = nil, databases: Set<String> = [],
        tables: Set<String> = []
    ) {
        self.only = only
        self.since = since
        self.until = until
        self.databases = Set(databases.map { $0.lowercased() })
        self.tables = Set(tables.map { $0.lowercased() })
    }

    /// Whether the transaction that starts at `file:offset` with `gtid` at `timestamp` is selected.
    func selects(
        gtid: GTID?, file: String, offset: UInt64, timestamp: UInt32, fileOrder: (String) -> Int?
    ) -> Bool {
        if !self.only.isEmpty {
            return self.only.contains { id in
                switch id {
                case .gtid(let wanted): gtid == wanted
                case .position(let wantedFile, let wantedOffset): wantedFile == file && wantedOffset == offset
                }
            }
        }
        if let since, !since.isAtOrBefore(file: file, offset: offset, timestamp: timestamp, fileOrder: fileOrder) {
            return false
        }
        if let until, until.isAtOrBefore(file: file, offset: offset, timestamp: timestamp, fileOrder: fileOrder) {
            return false
        }
        return self.since != nil || self.until != nil
    }

    /// Whether row changes to `database.table` are undone.
    func includes(database: String, table: String) -> Bool {
        let db = database.lowercased()
        let name = table.lowercased()
        if !self.databases.isEmpty && !self.databases.contains(db) { return false }
        if !self.tables.isEmpty && !self.tables.contains("\(db).\(name)") && !self.tables.contains(name) {
            return false
        }
        return true
    }
}
