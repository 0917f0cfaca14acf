import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small files written so that they survive a crash: written whole, fsynced, renamed into place, directory fsynced.
///
/// A backup holds every row of the tables it covers: as archived binlogs are, every directory a backup creates is
/// ``directoryMode`` and every file ``fileMode``, whatever the umask.
enum DurableFiles {
    /// Mode of a directory a backup creates: the owner's only.
    static let directoryMode: mode_t = 0o700
    /// Mode of every file a backup writes: the owner's only.
    static let fileMode: mode_t = 0o600

    /// Creates (or truncates) `path` for writing, owner-only whatever the umask.
    ///
    /// - Throws: ``BackupStoreError`` naming the file when it cannot be created.
    static func create(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else { throw BackupStoreError.io("cannot create", path: path) }
        // The umask only takes bits away, but a file that existed keeps its mode: set it.
        guard fchmod(descriptor, Self.fileMode) == 0 else {
            let error = BackupStoreError.io("cannot make owner-only (chmod 600)", path: path)
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = try self.create(temporary)
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { try Self.writeAll(descriptor, $0, path: temporary) }
        guard fsync(descriptor) == 0 else { throw BackupStoreError.io("cannot fsync", path: temporary) }
        guard rename(temporary, path) == 0 else {
            throw BackupStoreError.io("cannot rename \(temporary) to", path: path)
        }
        try self.syncDirectory(of: path)
    }

    static func write(_ text: String, to path: String) throws {
        try self.write(Array(text.utf8), to: path)
    }

    /// Writes all of `bytes` to `descriptor`, retrying short writes and `EINTR`.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw BackupStoreError.io("cannot write", path: path)
            }
            offset += written
        }
    }

    /// fsyncs the directory holding `path`, so a rename or a new file in it is durable.
    static func syncDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try self.syncDirectory(directory.isEmpty ? "." : directory)
    }

    static func syncDirectory(_ directory: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupStoreError.io("cannot open directory", path: directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BackupStoreError.io("cannot fsync directory", path: directory) }
    }

    /// Creates `path` and its parents; those it creates are ``directoryMode`` whatever the umask, those that exist
    /// keep their mode.
    ///
    /// - Throws: ``BackupStoreError`` naming the directory that could not be made and why.
    static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, Self.directoryMode) == 0 {
                guard chmod(current, Self.directoryMode) == 0 else {
                    throw BackupStoreError.io("cannot make the new directory owner-only (chmod 700)", path: current)
                }
                continue
            }
            if errno == EEXIST { continue }
            let reason = String(cString: strerror(errno))
            throw BackupStoreError(
                .io,
                "cannot create the directory \(current) (for \(path)): \(reason); choose another directory or fix "
                    + "its permissions"
            )
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BackupStoreError(.io, "\(path) exists and is not a directory; choose another directory")
        }
    }

    /// A warning for a directory that other users can read or enter: the backups in it hold every row (their own
    /// files are 0600, but names and sizes show, and anything copied in keeps its mode).
    static func warningIfReadableByOthers(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & (S_IROTH | S_IXOTH) != 0 else { return nil }
        return "other users can read \(path) (mode \(String(info.st_mode & 0o7777, radix: 8))); the backups hold every "
            + "row: `chmod 700 \(path)` keeps them to you"
    }

    /// Refuses a directory that other users can write to: they could replace a backup's files, and a load would
    /// run their SQL.
    static func refuseWritableByOthers(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw BackupStoreError.io("cannot read the mode of", path: path) }
        guard info.st_mode & S_IWOTH == 0 else {
            throw BackupStoreError(
                .io,
                "other users can write to \(path) (mode \(String(info.st_mode & 0o7777, radix: 8))), so they could "
                    + "replace the backups' files; run `chmod o-w \(path)` (better: `chmod 700`) or choose a "
                    + "directory of your own"
            )
        }
    }
}
