import MySQLWire

/// Where a timeline's binlogs come from.
public enum TimelineInput: Sendable {
    /// Binlog files on disk, in order.
    case files([String])
    /// A directory: an archive (`rewind-archive.json`: its files in the index's order) or a server's binlog
    /// directory (the files named `base.NNNNNN`, in number order).
    case directory(String)
    /// A server's binlogs over binlog dumps; no names means every file `SHOW BINARY LOGS` lists.
    case remote(files: [String], configuration: MySQLConnection.Configuration, serverID: UInt32)
}
