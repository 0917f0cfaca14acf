/// One data file of a table: a key range written as multi-row `INSERT` statements, zstd-compressed.
public struct BackupChunk: Codable, Hashable, Sendable {
    /// Relative to the backup directory, e.g. `data/shop/orders.00003.sql.zst`.
    public var file: String
    public var rows: UInt64
    /// Compressed size on disk.
    public var bytes: UInt64
    /// The hash of the chunk's rows, 16 hex digits.
    public var hash: String
    /// The longest statement in the file: a loader's `max_allowed_packet` must be at least this.
    public var maxStatementBytes: Int
    /// The key range, as SQL (`nil` for a table read as one stream).
    public var range: String?

    public init(file: String, rows: UInt64, bytes: UInt64, hash: String, maxStatementBytes: Int, range: String?) {
        self.file = file
        self.rows = rows
        self.bytes = bytes
        self.hash = hash
        self.maxStatementBytes = maxStatementBytes
        self.range = range
    }
}
