/// What `rewind status` reads from a server: its version, the binlog-related global variables, the current binlog
/// coordinates and the list of binlog files. Plain values, so ``PITRReadiness/evaluate(_:)`` can be tested without a
/// server.
public struct ServerStatusSnapshot: Codable, Equatable, Sendable {
    /// A binlog file as `SHOW BINARY LOGS` lists it.
    public struct BinaryLog: Codable, Equatable, Sendable {
        public var name: String
        public var size: UInt64

        public init(name: String, size: UInt64) {
            self.name = name
            self.size = size
        }
    }

    public var version: String
    /// Global variables by lower-case name (`log_bin`, `binlog_format`, …); absent ones are not set on this server.
    public var variables: [String: String]
    /// File and position of `SHOW MASTER STATUS` (`nil` when binlog is off).
    public var currentFile: String?
    public var currentPosition: UInt64?
    public var binaryLogs: [BinaryLog]

    public init(
        version: String,
        variables: [String: String],
        currentFile: String? = nil,
        currentPosition: UInt64? = nil,
        binaryLogs: [BinaryLog] = []
    ) {
        self.version = version
        self.variables = variables
        self.currentFile = currentFile
        self.currentPosition = currentPosition
        self.binaryLogs = binaryLogs
    }

    public var isMariaDB: Bool { self.version.contains("MariaDB") }

    /// The executed GTID set: MariaDB's `gtid_binlog_pos` or MySQL's `gtid_executed`.
    public var gtidSet: String? {
        self.isMariaDB ? self.variables["gtid_binlog_pos"] : self.variables["gtid_executed"]
    }

    /// The global variables `rewind status` reads (servers lack some of them).
    public static let variableNames = [
        "log_bin", "log_bin_basename", "binlog_format", "binlog_row_image", "binlog_row_metadata",
        "binlog_expire_logs_seconds", "expire_logs_days", "gtid_mode", "enforce_gtid_consistency", "gtid_executed",
        "gtid_binlog_pos", "gtid_strict_mode", "server_id", "sync_binlog", "binlog_checksum", "max_binlog_size",
        "binlog_encryption", "encrypt_binlog", "innodb_flush_log_at_trx_commit", "binlog_rows_query_log_events",
    ]
}
