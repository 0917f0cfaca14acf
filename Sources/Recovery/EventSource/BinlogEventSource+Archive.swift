extension BinlogEventSource {
    /// The binlog files of a directory: an archive's files in its index's order (across rotations), each up to the
    /// size the index records (the open file too, while the archiver appends to it), else the directory's numbered
    /// binlog files in order. An archive in object storage is read through its local cache directory
    /// (`S3ArchiveCache` joins it there).
    ///
    /// - Throws: ``RecoveryError`` for an unreadable index, an archive with a gap, a directory without binlogs.
    public static func archive(directory: String, forceRead: Bool = false, verifyChecksums: Bool = true) throws -> Self
    {
        Self(
            directoryFiles: try BinlogFileSequence.archiveFiles(directory), forceRead: forceRead,
            verifyChecksums: verifyChecksums)
    }

    /// The files of a directory as ``BinlogFileSequence/archiveFiles(_:)`` listed them.
    init(
        directoryFiles files: [BinlogFileSequence.DirectoryFile], forceRead: Bool = false, verifyChecksums: Bool = true
    ) {
        self.init(
            origin: .files(files.map { LocalInput(path: $0.path, limit: $0.archivedSize) }), forceRead: forceRead,
            verifyChecksums: verifyChecksums)
    }
}
