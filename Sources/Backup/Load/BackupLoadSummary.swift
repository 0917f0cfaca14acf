/// What a load did.
public struct BackupLoadSummary: Sendable {
    public var tables: Int
    public var chunks: Int
    public var rows: UInt64
    /// Whether the load ran with `sql_log_bin = 0` (the target's binlog did not record it).
    public var binlogOff: Bool
    /// The `max_allowed_packet` the load raised the target to and put back, when it had to.
    public var raisedMaxAllowedPacket: UInt64?
    /// Tables whose hash on the target matched the manifest (all of them after a successful load).
    public var verifiedTables: Int
}
