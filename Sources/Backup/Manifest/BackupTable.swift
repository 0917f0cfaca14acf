/// One table of a backup: its schema file, columns, key and data chunks.
public struct BackupTable: Codable, Hashable, Sendable {
    public var database: String
    public var table: String
    public var engine: String
    /// Rows over all chunks.
    public var rows: UInt64
    /// The table's row hash (the sum of its chunks' hashes), 16 hex digits.
    public var hash: String
    /// Exactly the `SHOW CREATE TABLE` text followed by `;\n`, relative to the backup directory.
    public var schemaFile: String
    /// The stored columns, in the order of the `INSERT` column lists (generated columns left out).
    public var columns: [BackupColumn]
    /// The columns the chunks are cut by (primary key or a non-null unique key); empty for one stream.
    public var chunkKey: [String]
    public var chunks: [BackupChunk]

    public init(
        database: String,
        table: String,
        engine: String,
        schemaFile: String,
        columns: [BackupColumn],
        chunkKey: [String]
    ) {
        self.database = database
        self.table = table
        self.engine = engine
        self.rows = 0
        self.hash = "0000000000000000"
        self.schemaFile = schemaFile
        self.columns = columns
        self.chunkKey = chunkKey
        self.chunks = []
    }

    /// `db.table`.
    public var qualifiedName: String { "\(self.database).\(self.table)" }
}
