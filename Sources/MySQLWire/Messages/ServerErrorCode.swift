/// Server (and client-side) error numbers Rewind acts on, by name instead of as literals.
///
/// The names follow the servers' `ER_…` / `CR_…` constants; the numbers are the same on MySQL and MariaDB.
public enum ServerErrorCode {
    /// `ER_DBACCESS_DENIED_ERROR`: no privilege on a database.
    public static let databaseAccessDenied: UInt16 = 1044
    /// `ER_ACCESS_DENIED_ERROR`: login refused.
    public static let accessDenied: UInt16 = 1045
    /// `ER_BAD_DB_ERROR`: unknown database.
    public static let unknownDatabase: UInt16 = 1049
    /// `ER_SERVER_SHUTDOWN`: the server is shutting down.
    public static let serverShutdown: UInt16 = 1053
    /// `ER_PARSE_ERROR`: the server does not know the statement (e.g. a newer server's syntax).
    public static let parseError: UInt16 = 1064
    /// `ER_DUP_ENTRY`: a row with the same value of a unique key exists.
    public static let duplicateEntry: UInt16 = 1062
    /// `ER_TABLEACCESS_DENIED_ERROR`: no privilege on a table.
    public static let tableAccessDenied: UInt16 = 1142
    /// `ER_COLUMNACCESS_DENIED_ERROR`: no privilege on a column.
    public static let columnAccessDenied: UInt16 = 1143
    /// `ER_NO_SUCH_TABLE`: unknown table.
    public static let noSuchTable: UInt16 = 1146
    /// `ER_LOCK_WAIT_TIMEOUT`.
    public static let lockWaitTimeout: UInt16 = 1205
    /// `ER_LOCK_DEADLOCK`: the transaction was rolled back to break a deadlock.
    public static let deadlock: UInt16 = 1213
    /// `ER_SPECIFIC_ACCESS_DENIED_ERROR`: a global privilege (e.g. RELOAD, REPLICATION CLIENT) is missing.
    public static let specificAccessDenied: UInt16 = 1227
    /// `ER_MASTER_FATAL_ERROR_READING_BINLOG`: the binlog dump failed (file purged or unknown, bad position).
    public static let binlogDumpFailed: UInt16 = 1236
    /// `ER_QUERY_INTERRUPTED`.
    public static let queryInterrupted: UInt16 = 1317
    /// `ER_PROCACCESS_DENIED_ERROR`: no privilege on a routine.
    public static let routineAccessDenied: UInt16 = 1370
    /// `ER_NO_BINARY_LOGGING`: binary logging is off.
    public static let noBinaryLogging: UInt16 = 1381
    /// `ER_CONNECTION_KILLED` (MariaDB).
    public static let connectionKilled: UInt16 = 1927
    /// `ER_SLAVE_SAME_ID` (MariaDB): another replica connected with this one's server id, and the server dropped this
    /// one's dump.
    public static let replicaSameID: UInt16 = 4052
    /// `CR_SERVER_GONE_ERROR` (client side).
    public static let serverGone: UInt16 = 2006
    /// `CR_SERVER_LOST` (client side).
    public static let serverLost: UInt16 = 2013

    /// A privilege is missing: the user can fix it with a GRANT.
    public static let privilegeMissing: Set<UInt16> = [
        databaseAccessDenied, tableAccessDenied, columnAccessDenied, specificAccessDenied, routineAccessDenied,
    ]
}
