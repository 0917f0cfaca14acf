import MySQLWire

/// What an archiver reports while it runs, for progress displays and logs.
public enum ArchiverEvent: Sendable {
    /// Logged in and about to stream from `file` at `position`.
    case connected(server: String, version: String, file: String, position: UInt64)
    /// The partial trailing event of a file (left by a killed archiver) was cut off.
    case truncated(file: String, from: UInt64, to: UInt64)
    /// A new file was started in the archive.
    case fileStarted(name: String)
    /// A file is now complete in the archive.
    case fileCompleted(ArchivedFile)
    case gap(ArchiveGap)
    /// Bytes are flowing: the current file and its archived size, the bytes archived in this run, and the timestamp
    /// (seconds since 1970, UTC) the server wrote into the last archived event's header. At most a few times a
    /// second, and once more just before ``caughtUp(file:position:)``, so the last event of a burst is reported.
    case progress(file: String, position: UInt64, bytesThisRun: UInt64, eventTime: UInt32)
    /// Everything the server had is archived (a heartbeat arrived, or the non-blocking dump ended).
    case caughtUp(file: String, position: UInt64)
    /// Something the user should know that does not stop the archive.
    case notice(String)
    /// The connection failed; the archiver tries again after `retryIn`.
    case retrying(error: String, attempt: Int, retryIn: Duration)
}
