import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small files written so that they survive a crash: written whole, fsynced, renamed into place, directory fsynced.
enum DurableFiles {
    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BackupError.io("cannot create", path: temporary) }
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { try ZstdFileWriter.writeAll(descriptor, $0, path: temporary) }
        guard fsync(descriptor) == 0 else { throw BackupError.io("cannot fsync", path: temporary) }
        guard rename(temporary, path) == 0 else { throw BackupError.io("cannot rename \(temporary) to", path: path) }
        try self.syncDirectory(of: path)
    }

    static func write(_ text: String, to path: String) throws {
        try self.write(Array(text.utf8), to: path)
    }

    /// fsyncs the directory holding `path`, so a rename or a new file in it is durable.
    static func syncDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try self.syncDirectory(directory.isEmpty ? "." : directory)
    }

    static func syncDirectory(_ directory: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupError.io("cannot open directory", path: directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BackupError.io("cannot fsync directory", path: directory) }
    }

    /// Creates `path` and its parents.
    ///
    /// - Throws: ``BackupError`` naming the directory that could not be made and why.
    static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) == 0 || errno == EEXIST { continue }
            let reason = String(cString: strerror(errno))
            throw BackupError(
                .io,
                "cannot create the directory \(current) (for \(path)): \(reason); choose another directory or fix "
                    + "its permissions"
            )
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BackupError(.io, "\(path) exists and is not a directory; choose another directory")
        }
    }
}
