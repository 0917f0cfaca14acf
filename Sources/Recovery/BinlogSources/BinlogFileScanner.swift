import BinlogFormat
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a binlog file forward from any event boundary, showing each event's header before its body is
/// read, so that the caller decodes only the events it needs. A body passed over is not decoded, and a
/// large one is not even read (the next read starts after it): finding a GTID's transaction or the DDL after
/// a position costs little more than walking the headers.
///
/// Checksums are verified on the events decoded, not on those passed over.
public struct BinlogFileScanner: ~Copyable {
    public let path: String
    /// The file name, for errors and positions (`mysql-bin.000042`).
    public let name: String
    /// The file's size when it was opened; events are read up to there.
    public let size: UInt64
    /// The offset of the first event after the format description.
    public let firstEventPosition: UInt64
    /// The offset of the event ``nextHeader()`` returned last (until it is passed over), else of the next one.
    private var position: UInt64
    /// The size of the event ``nextHeader()`` returned last, when the next call is to pass over it.
    private var currentSize: UInt32?
    /// The event, already decoded when its header could not be read without decoding it (v1/v3 files).
    private var currentRecord: BinlogEventRecord?
    let descriptor: Int32
    private var decoder: BinlogEventDecoder
    /// File bytes from ``chunkStart`` (``chunkCount`` of them), read into the same memory each time: an event
    /// that is decoded is copied out first.
    private let chunk: UnsafeMutableRawBufferPointer
    private var chunkStart: UInt64 = 0
    private var chunkCount = 0
    /// How much a read takes at once.
    private let readAhead: Int

    /// Opens `path` and reads its format description.
    ///
    /// - Parameter readAhead: the bytes each read takes: a large chunk (the default, 1 MiB) when most events
    ///   are decoded, a few KiB when only headers are looked at (a scan for GTIDs or DDL), so that the bodies
    ///   passed over are mostly not copied at all.
    /// - Throws: ``RecoveryError`` when the file cannot be read; ``BinlogDecodingError`` when it is not a
    ///   binlog (magic number, format description).
    public init(path: String, verifyChecksums: Bool = true, readAhead: Int = 1 << 20) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RecoveryError(reason: "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let error = errno
            close(descriptor)
            throw RecoveryError(reason: "cannot stat: \(String(cString: strerror(error)))", path: path)
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let size = UInt64(max(info.st_size, 0))
        // The magic number and the first event (the format description) go through the stream decoder, which
        // checks them and names what a file that is no binlog is.
        var stream = BinlogStreamDecoder(
            fileName: name,
            context: BinlogDecodingContext(verifiesChecksums: verifyChecksums)
        )
        stream.inputLength = size
        var offset: UInt64 = 0
        do {
            while try stream.next() == nil {
                var chunk = ByteBufferAllocator().buffer(capacity: 4096)
                var failure: Int32 = 0
                let count = chunk.writeWithUnsafeMutableBytes(minimumWritableBytes: 4096) { raw in
                    let (count, error) = PositionedBinlogReader.readFully(descriptor, into: raw, at: offset)
                    failure = error
                    return count
                }
                if failure != 0 {
                    throw RecoveryError(
                        reason: "read failed at byte \(offset): \(String(cString: strerror(failure)))",
                        path: path
                    )
                }
                if count == 0 {
                    try stream.finish()
                    break
                }
                offset += UInt64(count)
                stream.append(chunk)
            }
        } catch {
            close(descriptor)
            throw error
        }
        self.path = path
        self.name = name
        self.size = size
        self.descriptor = descriptor
        self.decoder = stream.decoder
        self.firstEventPosition = stream.position
        self.position = stream.position
        self.readAhead = min(max(readAhead, 512), 1 << 20)
        // As large as a read: a scan of headers does not allocate (and map, and unmap) a MiB it never fills;
        // an event larger than the chunk is read into a buffer of its own.
        self.chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: self.readAhead, alignment: 16)
    }

    deinit {
        self.chunk.deallocate()
        close(self.descriptor)
    }

    /// The decoding state: the format description, and the table maps of the events decoded so far.
    public var context: BinlogDecodingContext { self.decoder.context }

    /// Goes on from `position`, which must be where an event starts.
    public mutating func seek(to position: UInt64) {
        self.position = position
        self.currentSize = nil
        self.currentRecord = nil
    }

    /// The position and header of the next event, its body not read yet; `nil` at the end of the file. The
    /// next call passes over the event unless ``decode()`` reads it.
    ///
    /// - Throws: ``BinlogDecodingError`` (with the file name and offset) for a damaged or cut event;
    ///   ``RecoveryError`` when the file cannot be read.
    public mutating func nextHeader() throws -> (position: UInt64, header: BinlogEventHeader)? {
        if let size = self.currentSize {
            self.position += UInt64(size)
            self.currentSize = nil
            self.currentRecord = nil
        }
        guard self.position < self.size else { return nil }
        if self.decoder.context.isEncrypted {
            throw self.error(
                .encrypted,
                "this binlog is encrypted (MariaDB encrypt_binlog=ON); events after START_ENCRYPTION cannot be "
                    + "read without the server's key: read it through the server (--remote) or with mariadb-binlog "
                    + "on a host that has the key"
            )
        }
        let left = self.size - self.position
        guard left >= UInt64(BinlogEventHeader.v1Length) else {
            throw self.error(
                .truncated,
                "the last event is incomplete: \(left) bytes where it needs a header (a file still being written, "
                    + "or cut short); events before it are complete"
            )
        }
        try self.load(Int(min(left, UInt64(BinlogEventHeader.v4Length))))
        let start = Int(self.position - self.chunkStart)
        let raw = UnsafeRawBufferPointer(self.chunk)
        let size = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 9, as: UInt32.self))
        guard size >= UInt32(BinlogEventHeader.v1Length), size <= BinlogStreamDecoder.maximumEventSize else {
            throw self.error(.malformed, "event_size \(size) is impossible (header corrupt)")
        }
        guard UInt64(size) <= left else {
            throw self.error(
                .truncated,
                "the event claims \(size) bytes but the file ends \(left) bytes after its start (a file cut short, "
                    + "or a damaged event header)"
            )
        }
        self.currentSize = size
        guard self.decoder.context.formatDescription.headerLength >= UInt8(BinlogEventHeader.v4Length),
            size >= UInt32(BinlogEventHeader.v4Length)
        else {
            // An old (v1/v3) header: decoding the event is how to read it.
            let record = try self.decodeCurrent(size)
            self.currentRecord = record
            return (self.position, record.header)
        }
        let header = BinlogEventHeader(
            timestamp: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)),
            type: BinlogEventType(rawValue: raw[start + 4]),
            serverID: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 5, as: UInt32.self)),
            eventSize: size,
            nextPosition: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 13, as: UInt32.self)),
            flags: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 17, as: UInt16.self))
        )
        return (self.position, header)
    }

    /// The little-endian `UInt64` at `offset` of the body of the event whose header ``nextHeader()`` returned
    /// last, read without decoding the event (no checksum check): a cheap look at one field, e.g. to find
    /// the GTID events worth decoding. `nil` when the event is shorter.
    ///
    /// - Throws: ``RecoveryError`` when the file cannot be read.
    public mutating func peekBodyInteger(at offset: Int) throws -> UInt64? {
        guard let size = self.currentSize, self.currentRecord == nil else { return nil }
        let headerLength = Int(self.decoder.context.formatDescription.headerLength)
        let end = headerLength + offset + 8
        guard offset >= 0, end <= Int(size) else { return nil }
        try self.load(end)
        let start = Int(self.position - self.chunkStart) + headerLength + offset
        let raw = UnsafeRawBufferPointer(self.chunk)
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
    }

    /// Reads and decodes the event whose header ``nextHeader()`` returned last.
    ///
    /// - Throws: ``BinlogDecodingError`` (with the file name and offset) when it does not decode;
    ///   ``RecoveryError`` when the file cannot be read.
    public mutating func decode() throws -> BinlogEventRecord {
        guard let size = self.currentSize else {
            throw self.error(.malformed, "no event header was read to decode")
        }
        if let record = self.currentRecord { return record }
        let record = try self.decodeCurrent(size)
        self.currentRecord = record
        return record
    }

    private mutating func decodeCurrent(_ size: UInt32) throws -> BinlogEventRecord {
        let bytes = try self.copy(Int(size))
        do {
            return try self.decoder.decode(bytes, position: self.position)
        } catch let error as BinlogDecodingError {
            throw error.adding(position: self.position, fileName: self.name)
        }
    }

    /// Makes the chunk hold the `count` bytes at ``position`` (`count` at most the chunk's size), reading from
    /// there when it does not.
    private mutating func load(_ count: Int) throws {
        if self.position >= self.chunkStart, self.position + UInt64(count) <= self.chunkStart + UInt64(self.chunkCount)
        {
            return
        }
        let length = Int(min(UInt64(min(max(count, self.readAhead), self.chunk.count)), self.size - self.position))
        let (read, failure) = PositionedBinlogReader.readFully(
            self.descriptor,
            into: UnsafeMutableRawBufferPointer(rebasing: self.chunk[0..<length]),
            at: self.position
        )
        if failure != 0 {
            throw RecoveryError(
                reason: "read failed at byte \(self.position): \(String(cString: strerror(failure)))",
                path: self.path
            )
        }
        self.chunkStart = self.position
        self.chunkCount = read
        guard read >= count else { throw self.cutShort(read, count) }
    }

    /// The `count` bytes of the event at ``position``, in a buffer of their own.
    private mutating func copy(_ count: Int) throws -> ByteBuffer {
        if count <= self.chunk.count {
            try self.load(count)
            let start = Int(self.position - self.chunkStart)
            return ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: self.chunk[start..<(start + count)]))
        }
        let buffer = try PositionedBinlogReader.read(self.descriptor, count: count, at: self.position, path: self.path)
        guard buffer.readableBytes >= count else { throw self.cutShort(buffer.readableBytes, count) }
        return buffer
    }

    private func cutShort(_ read: Int, _ count: Int) -> BinlogDecodingError {
        self.error(
            .truncated,
            "the file ends \(read) bytes after this point, before the \(count) bytes of its event (it was cut "
                + "short while being read)"
        )
    }

    private func error(_ code: BinlogDecodingError.Code, _ reason: String) -> BinlogDecodingError {
        BinlogDecodingError(code: code, reason: reason, position: self.position, fileName: self.name)
    }
}
