import BinlogFormat
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends whole events to one archived binlog file in a local directory (``ArchiveDirectory``).
///
/// Events (and chunks of long events) are kept as they arrived (up to ``flushThreshold`` bytes, no copy) and
/// written with one `pwritev` at the file's end, so the file on disk always ends at an event boundary or inside
/// the last event: what a restart cuts off (``resume(path:from:verifyChecksums:_:)``). Written bytes are handed to the disk early (`posix_fadvise`), so the `fsync`
/// that completes a file does not stall the stream for the whole file's writeback.
final class ArchiveFileWriter: ArchiveFileWriting {
    static let magic: [UInt8] = [0xFE, 0x62, 0x69, 0x6E]
    static let flushThreshold = 256 * 1024

    let path: String
    let name: String
    var location: String { self.path }
    private let descriptor: Int32
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    /// Bytes on disk (written with pwrite).
    private(set) var flushedSize: UInt64
    /// Bytes known to be durable (`fsync` returned after they were written).
    private(set) var durableSize: UInt64
    /// Where the last early writeback request ended.
    private var writebackStart: UInt64 = 0
    static let writebackChunk: UInt64 = 8 << 20
    /// Bytes on disk plus bytes buffered: the archived size once flushed.
    var size: UInt64 { self.flushedSize + UInt64(self.pendingBytes) }

    private init(path: String, descriptor: Int32, size: UInt64) {
        self.path = path
        self.name = path.split(separator: "/").last.map(String.init) ?? path
        self.descriptor = descriptor
        self.flushedSize = size
        self.durableSize = size
        self.writebackStart = size
        self.pending.reserveCapacity(64)
    }

    deinit { close(self.descriptor) }

    /// Creates `path` holding only the binlog magic. An existing file is replaced only when it holds no more than
    /// the magic (a file created by an archiver killed right after).
    static func create(path: String) throws -> ArchiveFileWriter {
        var info = stat()
        if stat(path, &info) == 0, info.st_size > 4 {
            throw ArchiveError(
                "the archive already has this file with \(info.st_size) bytes that its index does not know; "
                    + "move it away (or archive into a new directory) and start again",
                path: path
            )
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, ArchiveDirectory.fileMode)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot create: \(String(cString: strerror(errno)))", path: path)
        }
        fchmod(descriptor, ArchiveDirectory.fileMode)  // whatever the umask
        let writer = ArchiveFileWriter(path: path, descriptor: descriptor, size: 0)
        try writer.append(ByteBuffer(bytes: Self.magic))
        try writer.flush()
        return writer
    }

    /// Opens an archived file to append to it, after checking every event in it (its framing, and its CRC32 where
    /// the file has checksums) and cutting the file back to the last good event: a partial trailing event, a
    /// flipped byte or a zeroed tail goes, and the archiver fetches the rest again.
    ///
    /// - Parameters:
    ///   - start: an event boundary; `onEvent` is called for the whole, good events at or after it.
    ///   - onEvent: called for each whole event found at or after `start`, with its offset.
    static func resume(
        path: String,
        from start: UInt64,
        verifyChecksums: Bool,
        _ onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> ArchiveResume {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        fchmod(descriptor, ArchiveDirectory.fileMode)  // files archived by older versions were 0644
        var info = stat()
        fstat(descriptor, &info)
        let fileSize = UInt64(info.st_size)
        let writer = ArchiveFileWriter(path: path, descriptor: descriptor, size: fileSize)
        var result = ArchiveResume(writer: writer, inspector: ArchiveEventInspector(verifiesChecksums: verifyChecksums))

        let outcome = try ArchivedEventScanner.scan(
            size: fileSize,
            location: path,
            from: start,
            verifyChecksums: verifyChecksums,
            read: { buffer, offset in try PosixIO.readAll(descriptor, into: buffer, at: offset, path: path) },
            onEvent: onEvent
        )
        result.endedWith = outcome.endedWith
        result.inspector = outcome.inspector
        if outcome.goodEnd < 4 {
            try writer.truncate(to: 0)
            try writer.append(ByteBuffer(bytes: Self.magic))
            try writer.flush()
            result.truncated = (fileSize, 4)
            result.truncationReason = outcome.damage
        } else if outcome.goodEnd < fileSize {
            try writer.truncate(to: outcome.goodEnd)
            result.truncated = (fileSize, outcome.goodEnd)
            result.truncationReason = outcome.damage
        }
        return result
    }

    /// Adds one whole event, or the next chunk of a long one; writes when the buffered bytes pass ``flushThreshold``.
    func append(_ event: ByteBuffer) throws {
        self.pending.append(event)
        self.pendingBytes += event.readableBytes
        if self.pendingBytes >= Self.flushThreshold { try self.flush() }
    }

    /// Writes buffered events to the file (`pwritev`, at most `IOV_MAX` events per call).
    func flush() throws {
        guard self.pendingBytes > 0 else { return }
        var events = self.pending[...]
        var skip = 0  // bytes of events.first already written by a short write
        while let first = events.first {
            let batch = events.prefix(1024)
            let written: Int = withIOVecs(batch, skippingFirst: skip) { vectors in
                var result: Int
                repeat {
                    result = pwritev(
                        self.descriptor, vectors.baseAddress, Int32(vectors.count), off_t(self.flushedSize))
                } while result < 0 && errno == EINTR
                return result
            }
            guard written >= 0 else {
                throw ArchiveError(
                    "write failed: \(String(cString: strerror(errno)))",
                    path: self.path,
                    offset: self.flushedSize
                )
            }
            self.flushedSize += UInt64(written)
            var remaining = written + skip
            skip = 0
            // Drop the events written in full; a short write leaves part of one.
            while let event = events.first, remaining >= event.readableBytes {
                remaining -= event.readableBytes
                events = events.dropFirst()
            }
            if remaining > 0 { skip = remaining }
            _ = first
        }
        self.pending.removeAll(keepingCapacity: true)
        self.pendingBytes = 0
        self.startWriteback()
    }

    /// Asks the kernel to start writing the flushed bytes to disk every few MiB, without waiting for it.
    private func startWriteback() {
        #if os(Linux)
            guard self.flushedSize >= self.writebackStart + Self.writebackChunk else { return }
            // On Linux, POSIX_FADV_DONTNEED starts writeback of the range's dirty pages without waiting for it (and
            // drops pages already clean): an archive is written once and read rarely.
            _ = posix_fadvise(
                self.descriptor,
                off_t(self.writebackStart),
                off_t(self.flushedSize - self.writebackStart),
                POSIX_FADV_DONTNEED
            )
            self.writebackStart = self.flushedSize
        #endif
    }

    /// Flushes and asks the kernel to put the bytes on disk (nothing to do when they are there already).
    func sync() throws {
        try self.flush()
        guard self.durableSize != self.flushedSize || self.needsSync else { return }
        guard fsync(self.descriptor) == 0 else {
            throw ArchiveError("fsync failed: \(String(cString: strerror(errno)))", path: self.path)
        }
        self.durableSize = self.flushedSize
        self.needsSync = false
    }

    /// Set by writes that do not change the size (the in-use flag) or that cut the file.
    private var needsSync = false

    /// Finishes the file as the server does when it closes a binlog: clears `LOG_EVENT_BINLOG_IN_USE_F` in the
    /// FORMAT_DESCRIPTION's flags (byte 21; the server leaves the checksum as it was), then syncs.
    func complete() throws {
        try self.flush()
        var flags: UInt8 = 0
        let offset: off_t = 4 + 17
        guard pread(self.descriptor, &flags, 1, offset) == 1 else {
            throw ArchiveError("cannot read the FORMAT_DESCRIPTION flags", path: self.path, offset: UInt64(offset))
        }
        if flags & UInt8(BinlogEventHeader.flagBinlogInUse) != 0 {
            self.needsSync = true
            flags &= ~UInt8(BinlogEventHeader.flagBinlogInUse)
            guard pwrite(self.descriptor, &flags, 1, offset) == 1 else {
                throw ArchiveError(
                    "cannot clear the in-use flag: \(String(cString: strerror(errno)))",
                    path: self.path,
                    offset: UInt64(offset)
                )
            }
        }
        try self.sync()
    }

    /// Whether the file holds exactly `event`'s bytes at `offset` (a server's copy checked against the archive's;
    /// `event` may be a chunk of one).
    func holds(_ event: ByteBuffer, at offset: UInt64) throws -> Bool {
        try self.flush()
        guard offset + UInt64(event.readableBytes) <= self.flushedSize else { return false }
        var archived = [UInt8](repeating: 0, count: event.readableBytes)
        let count = try archived.withUnsafeMutableBytes {
            try PosixIO.readAll(self.descriptor, into: $0, at: offset, path: self.path)
        }
        return count == archived.count && event.readableBytesView.elementsEqual(archived)
    }

    /// Cuts the file back to `size` (an event boundary, or inside the event being written) and makes the cut
    /// durable; what is buffered before `size` is written first.
    func cut(to size: UInt64) throws {
        try self.flush()
        try self.truncate(to: size)
        try self.sync()
    }

    private func truncate(to size: UInt64) throws {
        guard ftruncate(self.descriptor, off_t(size)) == 0 else {
            throw ArchiveError("cannot truncate: \(String(cString: strerror(errno)))", path: self.path, offset: size)
        }
        self.flushedSize = size
        self.durableSize = min(self.durableSize, size)
        self.needsSync = true
        self.writebackStart = min(self.writebackStart, size)
        self.pending.removeAll(keepingCapacity: true)
        self.pendingBytes = 0
    }
}

/// Calls `body` with `iovec`s over the readable bytes of `buffers`, the first one starting `skip` bytes in.
private func withIOVecs<R>(
    _ buffers: ArraySlice<ByteBuffer>,
    skippingFirst skip: Int,
    _ body: (UnsafeBufferPointer<iovec>) -> R
) -> R {
    var vectors: [iovec] = []
    vectors.reserveCapacity(buffers.count)
    func collect(_ index: ArraySlice<ByteBuffer>.Index) -> R {
        guard index < buffers.endIndex else { return vectors.withUnsafeBufferPointer(body) }
        return buffers[index].withUnsafeReadableBytes { bytes in
            let offset = index == buffers.startIndex ? skip : 0
            vectors.append(
                iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress.map { $0 + offset }),
                    iov_len: bytes.count - offset
                )
            )
            return collect(buffers.index(after: index))
        }
    }
    return collect(buffers.startIndex)
}
