import BinlogFormat
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads single events of a binlog file at known positions, from any thread (`pread`, and a decoder per
/// call): how flashback's second pass goes back, newest first, to the row events its first pass found.
///
/// The events are decoded with the file's format description (``context``, as a ``BinlogFileScanner`` of the
/// same file read it); checksums are verified again, so a file that changed since the first pass is noticed.
public final class PositionedBinlogReader: Sendable {
    public let path: String
    /// The file name, for errors.
    public let name: String
    /// The file's format description and checksum setting (table maps are not used: row events are decoded
    /// without them).
    public let context: BinlogDecodingContext
    private let descriptor: Int32

    /// Opens `path`.
    ///
    /// - Throws: ``RecoveryError`` when the file cannot be opened.
    public init(path: String, context: BinlogDecodingContext) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RecoveryError(reason: "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        self.path = path
        self.name = path.split(separator: "/").last.map(String.init) ?? path
        self.descriptor = descriptor
        var context = context
        context.tableMaps = [:]
        self.context = context
    }

    deinit { close(self.descriptor) }

    /// The event of `size` bytes at `position`, decoded.
    ///
    /// - Throws: ``RecoveryError`` when the bytes cannot be read; ``BinlogDecodingError`` (with the file name
    ///   and position) when they are not the event they were.
    public func record(at position: UInt64, size: Int) throws -> BinlogEventRecord {
        let buffer = try Self.read(self.descriptor, count: size, at: position, path: self.path)
        let count = buffer.readableBytes
        guard count == size else {
            throw BinlogDecodingError(
                code: .truncated,
                reason: "the file ends \(count) bytes after the start of an event of \(size) bytes "
                    + "(it was cut short since it was first read)",
                position: position,
                fileName: self.name
            )
        }
        var decoder = BinlogEventDecoder(context: self.context)
        do {
            return try decoder.decode(buffer, position: position)
        } catch let error as BinlogDecodingError {
            throw error.adding(position: position, fileName: self.name)
        }
    }

    /// Up to `count` bytes at `offset` in a buffer of their own (fewer where the file ends).
    ///
    /// - Throws: ``RecoveryError`` naming `path` when a read fails.
    static func read(_ descriptor: Int32, count: Int, at offset: UInt64, path: String) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32 = 0
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            let (read, error) = Self.readFully(
                descriptor,
                into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]),
                at: offset
            )
            failure = error
            return read
        }
        if failure != 0 {
            throw RecoveryError(
                reason: "read failed at byte \(offset): \(String(cString: strerror(failure)))",
                path: path
            )
        }
        return buffer
    }

    /// `pread` until `buffer` is full or the file ends: the bytes read, and `errno` when a read failed.
    static func readFully(
        _ descriptor: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        at offset: UInt64
    )
        -> (count: Int, error: Int32)
    {
        guard let base = buffer.baseAddress else { return (0, 0) }
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if result == 0 { break }
            done += result
        }
        return (done, 0)
    }
}
