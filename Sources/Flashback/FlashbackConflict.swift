/// One column of a row as the server has it now.
public struct ConflictValue: Sendable, Equatable, Codable {
    public var column: String
    /// The value as text (`nil` for NULL; bytes that are not UTF-8 as `0x…`).
    public var value: String?

    public init(column: String, value: String?) {
        self.column = column
        self.value = value
    }
}

/// A row that changed after the original transaction: its undo statement changed nothing and the row is
/// left as it is now.
public struct FlashbackConflict: Sendable, Equatable, Codable {
    /// The original transaction (`GTID 0-1-42 at mysql-bin.000001:1234`).
    public var transaction: String
    /// `db.table`.
    public var table: String
    /// The row's key (`` `id`=5 ``).
    public var key: String
    /// What the undo wanted to do: `insert` (the row exists again), `update` or `delete` (the row differs).
    public var undo: String
    /// The row's current values; `nil` when it is no longer there (or the table has no key to look it up).
    public var current: [ConflictValue]?
    /// Whether the rest of its undo transaction was applied (`false` under `--atomic`).
    public var transactionApplied: Bool
    /// Why the undo could not be applied, when it is not that the row differs: the server's message for a unique
    /// value another row holds now (`Duplicate entry 'A-1' for key 'sku'`).
    public var reason: String?

    public init(
        transaction: String, table: String, key: String, undo: String, current: [ConflictValue]?,
        transactionApplied: Bool, reason: String? = nil
    ) {
        self.reason = reason
        self.transaction = transaction
        self.table = table
        self.key = key
        self.undo = undo
        self.current = current
        self.transactionApplied = transactionApplied
    }
}
