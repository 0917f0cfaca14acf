/// The original transaction an undo transaction reverses: its GTID, where it is in the binlog, when it ran.
public struct UndoTransactionHeader: Sendable, Equatable, Codable {
    public var gtid: String?
    public var file: String
    /// Byte offset of the transaction's first event (what `--only FILE:POS` names).
    public var startPosition: UInt64
    public var endPosition: UInt64
    /// Seconds since the epoch (UTC) of its first event.
    public var timestamp: UInt32
    /// Undo statements (one per row change).
    public var statements: Int
    /// `db.table` of row changes left alone by `--database`/`--table`.
    public var skippedTables: [String]
    /// `db.table` and how their rows are found, when not by the primary key.
    public var keyNotes: [String]

    public init(
        gtid: String?, file: String, startPosition: UInt64, endPosition: UInt64, timestamp: UInt32,
        statements: Int = 0, skippedTables: [String] = [], keyNotes: [String] = []
    ) {
        self.gtid = gtid
        self.file = file
        self.startPosition = startPosition
        self.endPosition = endPosition
        self.timestamp = timestamp
        self.statements = statements
        self.skippedTables = skippedTables
        self.keyNotes = keyNotes
    }

    /// `GTID 0-1-42 at mysql-bin.000001:1234`.
    public var name: String {
        (self.gtid.map { "GTID \($0) at " } ?? "") + "\(self.file):\(self.startPosition)"
    }
}
