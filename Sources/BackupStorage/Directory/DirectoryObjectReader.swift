import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file of a directory in pieces of ``pieceBytes``.
final class DirectoryObjectReader: BackupObjectReader {
    /// The size of each piece (zstd's recommended input size is 128 KiB).
    static let pieceBytes = 128 << 10

    let path: String
    private let descriptor: Int32
    private let allocator = ByteBufferAllocator()

    /// - Throws: ``BackupStoreError`` naming the file when it cannot be opened.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupStoreError.io("cannot open", path: path) }
        self.descriptor = descriptor
    }

    deinit {
        close(self.descriptor)
    }

    func read() async throws -> ByteBuffer? {
        var buffer = self.allocator.buffer(capacity: Self.pieceBytes)
        while true {
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.pieceBytes) { bytes in
                result = Glibc.read(self.descriptor, bytes.baseAddress, Self.pieceBytes)
                return max(result, 0)
            }
            if result > 0 { return buffer }
            if result == 0 { return nil }
            if errno != EINTR { throw BackupStoreError.io("cannot read", path: self.path) }
        }
    }
}
