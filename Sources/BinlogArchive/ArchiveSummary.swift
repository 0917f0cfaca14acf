/// What one run of ``BinlogArchiver/run(report:)`` did.
public struct ArchiveSummary: Sendable {
    /// Event bytes written in this run.
    public var bytesArchived: UInt64 = 0
    /// Files completed in this run.
    public var filesCompleted: [String] = []
    /// Gaps found in this run (also in ``index``).
    public var gaps: [ArchiveGap] = []
    /// The index as saved at the end.
    public var index = ArchiveIndex()
}
