import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Backups in a local directory: `DIR/<id>/…`, every directory `0700` and every file `0600` whatever the umask,
/// small files written whole (temporary file, fsync, rename, directory fsync), chunks fsynced when finished.
public struct DirectoryBackupStore: BackupStore {
    /// The directory, as given.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var location: String { self.path }

    public func location(of path: String) -> String { self.path + "/" + path }

    public func descending(into name: String) -> any BackupStore {
        DirectoryBackupStore(path: self.path + "/" + name)
    }

    public func prepareForWriting() async throws -> [String] {
        try DurableFiles.makeDirectory(self.path)
        try DurableFiles.refuseWritableByOthers(self.path)
        guard FileManager.default.isWritableFile(atPath: self.path) else {
            throw BackupStoreError(
                .io,
                "cannot write to \(self.path): the directory is not writable by this user; choose another "
                    + "--to directory or fix its permissions"
            )
        }
        return DurableFiles.warningIfReadableByOthers(self.path).map { [$0] } ?? []
    }

    public func childNames() async throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: self.path)
        } catch {
            var info = stat()
            let reason =
                stat(self.path, &info) != 0
                ? "\(String(cString: strerror(errno))); give the directory that `rewind backup create --to` wrote to"
                : (info.st_mode & S_IFMT) != S_IFDIR
                    ? "it is not a directory; give the directory that `rewind backup create --to` wrote to"
                    : "\(error.localizedDescription); check that you may read it"
            throw BackupStoreError(.io, "cannot read the backup directory \(self.path): \(reason)")
        }
    }

    public func files() async throws -> [String: UInt64] {
        guard let enumerator = FileManager.default.enumerator(atPath: self.path) else { return [:] }
        var sizes: [String: UInt64] = [:]
        for case let name as String in enumerator {
            let attributes = try? FileManager.default.attributesOfItem(atPath: self.path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                sizes[name] = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            }
        }
        return sizes
    }

    public func read(_ path: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: self.location(of: path)).map { [UInt8]($0) }
    }

    public func write(_ bytes: [UInt8], to path: String, replacing: Bool) async throws {
        let full = self.location(of: path)
        try DurableFiles.makeDirectory((full as NSString).deletingLastPathComponent)
        try DurableFiles.write(bytes, to: full)
    }

    public func makeWriter(_ path: String) async throws -> any BackupObjectWriter {
        let full = self.location(of: path)
        try DurableFiles.makeDirectory((full as NSString).deletingLastPathComponent)
        return try DirectoryObjectWriter(path: full)
    }

    public func makeReader(_ path: String) async throws -> any BackupObjectReader {
        try DirectoryObjectReader(path: self.location(of: path))
    }

    public func syncDirectories(of paths: [String]) async throws {
        var directories = Set([self.path])
        for path in paths {
            var directory = (path as NSString).deletingLastPathComponent
            while !directory.isEmpty {
                directories.insert(self.location(of: directory))
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        for directory in directories.sorted() where FileManager.default.fileExists(atPath: directory) {
            try DurableFiles.syncDirectory(directory)
        }
    }

    public func removeTree(_ name: String, first: [String]) async throws {
        let root = self.location(of: name)
        do {
            for path in first where FileManager.default.fileExists(atPath: root + "/" + path) {
                try FileManager.default.removeItem(atPath: root + "/" + path)
            }
            try FileManager.default.removeItem(atPath: root)
        } catch {
            throw BackupStoreError(.io, "cannot remove \(root): \(error.localizedDescription)")
        }
    }
}
