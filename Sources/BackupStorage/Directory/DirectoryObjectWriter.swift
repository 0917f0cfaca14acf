import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams a file into a directory: created owner-only, fsynced and closed by ``finish()``.
final class DirectoryObjectWriter: BackupObjectWriter {
    let path: String
    private var descriptor: Int32
    private var size: UInt64 = 0

    /// - Throws: ``BackupStoreError`` naming the file when it cannot be created.
    init(path: String) throws {
        self.path = path
        self.descriptor = try DurableFiles.create(path)
    }

    deinit {
        if self.descriptor >= 0 { close(self.descriptor) }
    }

    func write(_ bytes: ByteBuffer) async throws {
        try bytes.withUnsafeReadableBytes { try DurableFiles.writeAll(self.descriptor, $0, path: self.path) }
        self.size += UInt64(bytes.readableBytes)
    }

    func finish() async throws -> UInt64 {
        guard fsync(self.descriptor) == 0 else { throw BackupStoreError.io("cannot fsync", path: self.path) }
        close(self.descriptor)
        self.descriptor = -1
        return self.size
    }

    func abort() async {
        if self.descriptor >= 0 { close(self.descriptor) }
        self.descriptor = -1
    }
}
