/// Where one connection's dump starts, and what the archive lost before it
/// (``ArchivePlanner/start(serverLogs:archive:start:gtidStartFile:refetchFrom:)``).
struct ArchiveStartPlan: Equatable, Sendable {
    /// The server's file the dump starts in, and the offset in it.
    var file: String
    var position: UInt64
    /// The server purged the archive's open last file before it was archived to its end: it becomes
    /// ``ArchivedFile/State/incomplete``.
    var lastFileIsIncomplete = false
    /// Files (or the end of one) the server purged before they were archived.
    var gap: ArchiveGap?
}
