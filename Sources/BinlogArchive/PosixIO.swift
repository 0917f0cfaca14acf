#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small wrappers around POSIX calls that retry on EINTR and turn failures into ``ArchiveError``s.
enum PosixIO {
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArchiveError("write failed: \(String(cString: strerror(errno)))", path: path)
            }
            offset += written
        }
    }

    static func readAll(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, path: String
    )
        throws -> Int
    {
        var total = 0
        while total < buffer.count {
            let count = pread(
                descriptor, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveError("read failed: \(String(cString: strerror(errno)))", path: path, offset: offset)
            }
            if count == 0 { break }
            total += count
        }
        return total
    }
}
