/// One undo statement with what `--apply` needs to report a conflict: the table, the row's key and a query
/// for the row's current values.
public struct UndoStatement: Sendable, Equatable {
    /// What the undo statement does.
    public enum Kind: UInt8, Sendable, Codable {
        /// Puts back a row the transaction deleted.
        case insert = 1
        /// Puts back the values a transaction's UPDATE replaced.
        case update = 2
        /// Removes a row the transaction inserted.
        case delete = 3
    }

    public var kind: Kind
    /// The guarded statement; it changes one row, or none when the row changed since (a conflict).
    public var sql: [UInt8]
    /// `db.table`.
    public var table: String
    /// The row's key as text (`` `id`=5 ``), or a note when the table has none.
    public var key: String
    /// `SELECT * FROM … WHERE key` for the row's current values; empty when the table has no key.
    public var lookup: [UInt8]

    public init(kind: Kind, sql: [UInt8], table: String, key: String, lookup: [UInt8]) {
        self.kind = kind
        self.sql = sql
        self.table = table
        self.key = key
        self.lookup = lookup
    }

    public var sqlText: String { String(decoding: self.sql, as: UTF8.self) }
}
