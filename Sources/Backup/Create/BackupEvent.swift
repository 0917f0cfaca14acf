/// What a running backup or load reports, for progress displays and log lines.
public enum BackupEvent: Sendable {
    /// The snapshot is open: coordinates, GTID state and how many rounds it took.
    case snapshot(binlog: BinlogCoordinates?, gtidSet: String?, attempts: Int)
    /// The plan: tables, chunks, estimated bytes of table data.
    case planned(tables: Int, chunks: Int, estimatedBytes: UInt64)
    /// A chunk file is written (backup) or loaded (load).
    case chunkDone(table: String, file: String, rows: UInt64, bytes: UInt64)
    /// A table's every chunk is done.
    case tableDone(table: String, rows: UInt64)
    /// A step with a message (schema written, locks released, hashes compared, …).
    case step(String)
    /// Something the user should know and fix, that does not stop the backup.
    case warning(String)
}
