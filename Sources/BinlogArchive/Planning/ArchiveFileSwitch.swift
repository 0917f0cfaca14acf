/// What the archive does when the dump names a file other than the one being written
/// (``ArchivePlanner/nextFile(_:position:archive:gapReportedBefore:)``).
enum ArchiveFileSwitch: Equatable, Sendable {
    /// The dump starts at the end of the archive's last file, which is complete: nothing to start.
    case alreadyArchived
    /// Start the file, after recording the gap before it if there is one.
    case start(gapBefore: ArchiveGap?)
}
