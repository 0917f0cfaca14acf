import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An archive directory, locked for one archiver at a time, with its index.
///
/// The lock is an exclusive `flock` on `.rewind-archive.lock`; the kernel drops it when the process dies (also on
/// SIGKILL), so a restarted archiver never finds a stale lock.
///
/// Archived binlogs hold every row (and can hold a logged `CREATE USER … IDENTIFIED BY` in plain text): a directory
/// created here is `0700` and every file in it `0600` (``fileMode``), whatever the umask. An existing directory that
/// other users can write to is refused; one they can read gets a warning (``warnings``).
package final class ArchiveDirectory {
    /// Mode of a directory the archiver creates.
    package static let directoryMode: mode_t = 0o700
    /// Mode of every file the archiver writes: data files, index, lock.
    package static let fileMode: mode_t = 0o600

    package let path: String
    /// Whether this run created the directory (a failed first run then removes it again).
    let wasCreated: Bool
    /// What the caller should tell the user (a directory others can read).
    private(set) var warnings: [String] = []
    private let lockDescriptor: Int32

    /// Opens (creating it if needed) and locks `path`.
    package init(path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: path,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: Int(Self.directoryMode)]
                )
            } catch {
                throw ArchiveError("cannot create the archive directory (\(error.localizedDescription))", path: path)
            }
            // The umask can only take bits away; set the mode explicitly anyway, as a created file's is.
            chmod(path, Self.directoryMode)
            self.wasCreated = true
            guard stat(path, &info) == 0 else {
                throw ArchiveError(
                    "cannot read the new archive directory: \(String(cString: strerror(errno)))",
                    path: path
                )
            }
        } else {
            self.wasCreated = false
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ArchiveError("not a directory; give --to a directory (it is created if missing)", path: path)
        }
        if info.st_mode & S_IWOTH != 0 {
            throw ArchiveError(
                "other users can write to this directory (mode \(String(info.st_mode & 0o7777, radix: 8))), so they "
                    + "could replace the archived binlogs; run `chmod o-w \(path)` (better: `chmod 700`) or archive "
                    + "into a directory of your own",
                path: path
            )
        }
        if info.st_mode & (S_IROTH | S_IXOTH) != 0 {
            self.warnings.append(
                "other users can read \(path) (mode \(String(info.st_mode & 0o7777, radix: 8))); the archived files "
                    + "are 0600, but `chmod 700 \(path)` keeps even their names private"
            )
        }
        self.path = path
        let lockPath = path + "/.rewind-archive.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot open \(lockPath): \(String(cString: strerror(errno)))", path: path)
        }
        fchmod(descriptor, Self.fileMode)
        // A lock just released may still be held for a moment by a child process forked before it was closed (the
        // descriptor is close-on-exec, so only until the child execs): try for up to a second.
        var locked = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        for _ in 0..<20 where !locked {
            usleep(50_000)
            locked = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        }
        guard locked else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw ArchiveError(
                "another archiver\(holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? "") is writing to this directory; "
                    + "stop it first or archive elsewhere",
                path: path
            )
        }
        ftruncate(descriptor, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.lockDescriptor = descriptor
    }

    /// Removes what opening the directory put there (lock, index) and the directory itself, when this run created
    /// it and it holds nothing else: a first run that could not even log in leaves nothing behind.
    func removeIfCreatedAndEmpty() {
        guard self.wasCreated else { return }
        let ours: Set<String> = [".rewind-archive.lock", ArchiveIndex.fileName, ArchiveIndex.fileName + ".tmp"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? []
        guard names.allSatisfy(ours.contains) else { return }
        for name in names { unlink(self.path + "/" + name) }
        rmdir(self.path)
    }

    deinit { close(self.lockDescriptor) }

    package func filePath(_ name: String) -> String { self.path + "/" + name }

    var indexPath: String { self.path + "/" + ArchiveIndex.fileName }

    /// The index, or an empty one when the directory has none yet.
    package func loadIndex() throws -> ArchiveIndex {
        guard let data = FileManager.default.contents(atPath: self.indexPath) else { return ArchiveIndex() }
        let index: ArchiveIndex
        do {
            index = try ArchiveIndex.decode(data)
        } catch {
            throw ArchiveError(
                "the index is not readable (\(error)); move it away to rebuild it from the files",
                path: self.indexPath
            )
        }
        guard index.version <= ArchiveIndex.currentVersion else {
            throw ArchiveError(
                "index version \(index.version) is newer than this rewind understands (\(ArchiveIndex.currentVersion))",
                path: self.indexPath
            )
        }
        return index
    }

    /// Writes the index to a temporary file, syncs it and renames it over the old one.
    package func save(_ index: ArchiveIndex) throws {
        var index = index
        index.updatedAt = Date()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(index) + Data("\n".utf8)
        let temporary = self.indexPath + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot write the index: \(String(cString: strerror(errno)))", path: temporary)
        }
        defer { close(descriptor) }
        fchmod(descriptor, Self.fileMode)
        try data.withUnsafeBytes { try PosixIO.writeAll(descriptor, $0, path: temporary) }
        fsync(descriptor)
        guard rename(temporary, self.indexPath) == 0 else {
            throw ArchiveError("cannot replace the index: \(String(cString: strerror(errno)))", path: self.indexPath)
        }
    }

    /// Binlog-looking files in the directory (a base name, a dot and digits), sorted.
    func binlogFileNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? []
        return names.filter { BinlogFileName($0) != nil }.sorted { BinlogFileName($0)! < BinlogFileName($1)! }
    }
}
