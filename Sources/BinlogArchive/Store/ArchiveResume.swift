import BinlogFormat

/// What resuming an archived file found (``ArchiveStore/resumeFile(named:from:verifyChecksums:_:)``).
struct ArchiveResume {
    /// The file, open to append at its last good event.
    var writer: any ArchiveFileWriting
    /// Set when a partial or damaged trailing event was cut off: the old and the new size.
    var truncated: (from: UInt64, to: UInt64)?
    var truncationReason: String?
    /// The file is finished (a ROTATE or STOP was already archived).
    var endedWith: BinlogEventType?
    /// The inspector after the file's events (it knows the file's checksum mode).
    var inspector: ArchiveEventInspector
}
