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
package final class ArchiveDirectory {
    package let path: String
    private let lockDescriptor: Int32

    /// Opens (creating it if needed) and locks `path`.
    package init(path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError("cannot create the archive directory (\(error.localizedDescription))", path: path)
        }
        self.path = path
        let lockPath = path + "/.rewind-archive.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot open \(lockPath): \(String(cString: strerror(errno)))", path: path)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
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

    deinit { close(self.lockDescriptor) }

    package func filePath(_ name: String) -> String { self.path + "/" + name }

    var indexPath: String { self.path + "/" + ArchiveIndex.fileName }

    /// The index, or an empty one when the directory has none yet.
    package func loadIndex() throws -> ArchiveIndex {
        guard let data = FileManager.default.contents(atPath: self.indexPath) else { return ArchiveIndex() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let index: ArchiveIndex
        do {
            index = try decoder.decode(ArchiveIndex.self, from: data)
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
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot write the index: \(String(cString: strerror(errno)))", path: temporary)
        }
        defer { close(descriptor) }
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
