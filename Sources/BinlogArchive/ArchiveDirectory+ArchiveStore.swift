#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local archive: one file per binlog beside the index, appended to with ``ArchiveFileWriter``.
extension ArchiveDirectory: ArchiveStore {
    var location: String { self.path }

    func location(of name: String) -> String { self.filePath(name) }

    func createFile(named name: String) throws -> any ArchiveFileWriting {
        try ArchiveFileWriter.create(path: self.filePath(name))
    }

    func resumeFile(
        named name: String,
        from start: UInt64,
        verifyChecksums: Bool,
        _ onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> ArchiveResume {
        let path = self.filePath(name)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ArchiveError(
                "the index lists \(name) but the file is missing; restore it or move the index away",
                path: path
            )
        }
        return try ArchiveFileWriter.resume(path: path, from: start, verifyChecksums: verifyChecksums, onEvent)
    }
}
