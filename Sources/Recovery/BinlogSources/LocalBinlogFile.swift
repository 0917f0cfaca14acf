import BinlogFormat
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the events of a binlog file on disk, chunk by chunk, in constant memory.
///
/// ``next()`` returns events until the end of the file, then `nil`. A partial trailing event (a file still
/// being written, or cut short) throws ``BinlogDecodingError/Code/truncated`` with the file name and offset.
public struct LocalBinlogFile: ~Copyable {
    public let path: String
    private let descriptor: Int32
    private var decoder: BinlogStreamDecoder
    private var atEnd = false
    private let chunkSize: Int
    /// Bytes of the file read so far, and how many are read at most (an archived file being written: its size in
    /// the archive's index).
    private var bytesRead: UInt64 = 0
    private let limit: UInt64?

    /// Opens `path`.
    ///
    /// - Parameters:
    ///   - context: decoding state carried over from a previous file (table maps need not carry over; the
    ///     checksum setting comes from this file's own format description).
    ///   - forceRead: go past events that do not decode, where the framing allows (`--force-read`).
    ///   - limit: read the first `limit` bytes only, as if the file ended there (an archive's open file: the size
    ///     its index records, while the archiver may be appending past it).
    /// - Throws: ``RecoveryError`` when the file cannot be opened.
    public init(
        path: String, forceRead: Bool = false, verifyChecksums: Bool = true, chunkSize: Int = 1 << 20,
        limit: UInt64? = nil
    ) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RecoveryError(reason: "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        self.path = path
        self.descriptor = descriptor
        var info = stat()
        let isRegular = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        // A binlog is named as the server named it (mysql-bin.000042). Anything else (a device, a pipe such as
        // `<(zstd -dc …)`) keeps its whole path: "/dev/null", "/dev/fd/63", not "null" or "63".
        let name = isRegular ? (path.split(separator: "/").last.map(String.init) ?? path) : path
        self.decoder = BinlogStreamDecoder(
            fileName: name, context: BinlogDecodingContext(verifiesChecksums: verifyChecksums), forceRead: forceRead)
        if isRegular {
            self.decoder.inputLength = UInt64(info.st_size)  // a regular file: events cannot end beyond it
        }
        if let limit { self.decoder.inputLength = min(self.decoder.inputLength ?? limit, limit) }
        self.limit = limit
        self.chunkSize = chunkSize
    }

    deinit { close(self.descriptor) }

    /// The decoding state (format description, table maps) after the events read so far.
    public var context: BinlogDecodingContext { self.decoder.context }

    /// Errors passed over under `forceRead`.
    public var skippedErrors: [BinlogDecodingError] { self.decoder.skippedErrors }

    /// The file offset just after the last event returned.
    public var position: UInt64 { self.decoder.position }

    /// The next event, or `nil` at the end of the file.
    public mutating func next() throws -> BinlogEventRecord? {
        try self.nextWithBytes()?.record
    }

    /// Appends the next events to `events`, as ``BinlogSourceEvent``s of `fileName`, until they hold `byteLimit`
    /// bytes or `eventLimit` events or the file ends: one call per batch, so that a reader kept in a class pays
    /// for one access to it per batch rather than per event.
    ///
    /// - Returns: `true` when the batch is full (more events may follow), `false` at the end of the file.
    /// - Throws: as ``nextWithBytes()``; the events read before the error are in `events`.
    mutating func appendEvents(
        to events: inout [BinlogSourceEvent], fileName: String, byteLimit: Int, eventLimit: Int
    ) throws -> Bool {
        var bytes = 0
        while let (record, raw) = try self.nextWithBytes() {
            events.append(
                BinlogSourceEvent(fileName: fileName, record: record, bytes: raw, context: self.decoder.context))
            bytes += raw.readableBytes
            if bytes >= byteLimit || events.count >= eventLimit { return true }
        }
        return false
    }

    /// The next event with its bytes as read, or `nil` at the end of the file.
    public mutating func nextWithBytes() throws -> (record: BinlogEventRecord, bytes: ByteBuffer)? {
        while true {
            if let event = try self.decoder.nextWithBytes() { return event }
            if self.atEnd { return nil }
            var readError: Int32 = 0
            let descriptor = self.descriptor
            var left = self.limit.map { $0 > self.bytesRead ? Int(clamping: $0 - self.bytesRead) : 0 } ?? Int.max
            var room = self.chunkSize
            if let missing = self.decoder.missingBytesOfPendingEvent, missing > self.chunkSize {
                // A huge event (up to 1 GiB): room for exactly its rest, read to its end and no further. Reading
                // on into the next event would leave part of it in the same buffer, copied out again when the
                // huge one is handed on: twice the memory, or more.
                room = missing
                left = min(left, missing)
            }
            let count =
                left == 0
                ? 0
                : self.decoder.appendInPlace(minimumWritableBytes: room) { raw in
                    var result = 0
                    let wanted = min(raw.count, left)
                    repeat { result = read(descriptor, raw.baseAddress, wanted) } while result < 0 && errno == EINTR
                    if result < 0 { readError = errno }
                    return max(result, 0)
                }
            if readError != 0 {
                throw RecoveryError(
                    reason: "read failed at byte \(self.decoder.position): \(String(cString: strerror(readError)))",
                    path: self.path)
            }
            self.bytesRead += UInt64(count)
            if count == 0 {
                self.atEnd = true
                try self.decoder.finish()
                return nil
            }
        }
    }
}
