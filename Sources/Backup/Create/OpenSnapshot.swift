/// The snapshot every dump connection has open: where it sits in the binlog and what it cost.
struct OpenSnapshot: Sendable {
    /// The binlog coordinates of the snapshot; `nil` when the binlog is off.
    var binlog: BinlogCoordinates?
    /// The GTID state at the snapshot; `nil` when the server has none.
    var gtidSet: String?
    /// Rounds needed: MariaDB, until the connections' coordinates agreed; MySQL, until the read lock was granted.
    var attempts: Int
    /// How long commits were blocked (MySQL's `FLUSH TABLES WITH READ LOCK`; zero on MariaDB).
    var lockHeld: Duration
}
