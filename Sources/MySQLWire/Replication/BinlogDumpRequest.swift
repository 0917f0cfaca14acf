import BinlogFormat

/// Where a binlog stream starts and how it behaves at the end of the binlog.
public struct BinlogDumpRequest: Sendable, Hashable {
    /// The starting point.
    public enum Start: Sendable, Hashable {
        /// A file and byte position (4 is the first event).
        case position(file: String, position: UInt64)
        /// A MariaDB GTID position such as `0-1-50` (`@slave_connect_state`): the stream starts after it.
        case mariaDBGTID(String)
        /// A MySQL GTID set (`COM_BINLOG_DUMP_GTID`): the stream sends the transactions not in it.
        case mysqlGTIDSet(GTIDSet)
    }

    /// What to do at the end of the binlog.
    public enum Mode: Sendable, Hashable {
        /// Stop when everything written so far has been sent (`BINLOG_DUMP_NON_BLOCK`).
        case stopAtEnd
        /// Keep waiting for new events, as a replica does.
        case follow
    }

    public var start: Start
    public var mode: Mode
    /// This client's server id; it must differ from the server's and from every other replica's.
    public var serverID: UInt32
    /// How often an idle server sends a heartbeat event (`@master_heartbeat_period`); `nil` for the server default.
    public var heartbeatPeriod: Duration?
    /// When nothing (no event, no heartbeat) arrives for this long, the stream fails with
    /// ``MySQLError/Code-swift.struct/timeout`` and the connection closes: a silent network failure becomes an
    /// error the caller can retry. Set it well above ``heartbeatPeriod``. `nil`: wait forever.
    public var idleTimeout: Duration?

    public init(
        start: Start,
        mode: Mode,
        serverID: UInt32,
        heartbeatPeriod: Duration? = nil,
        idleTimeout: Duration? = nil
    ) {
        self.start = start
        self.mode = mode
        self.serverID = serverID
        self.heartbeatPeriod = heartbeatPeriod
        self.idleTimeout = idleTimeout
    }
}
