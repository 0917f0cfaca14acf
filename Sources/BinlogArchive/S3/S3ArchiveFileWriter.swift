import BinlogFormat
import Crypto
import NIOCore
import ObjectCodec
import ObjectStorage

/// One binlog file of an archive in S3, appended to as segments (see ``S3ArchiveLayout``).
///
/// Appended bytes are kept in memory until ``sync()`` (the store's sync interval, `--upload-interval`), or until
/// whole events of ``segmentLimit`` bytes are waiting; then the whole events go out as one new segment, written
/// once, followed by its manifest. A segment always ends at an event boundary: the bytes of an event still
/// arriving stay in memory, so a killed archiver never leaves a partial event in the store and no byte is ever
/// stored twice. ``durableSize`` counts the bytes in segments.
final class S3ArchiveFileWriter: ArchiveFileWriting {
    static let segmentLimit: UInt64 = 16 << 20

    let name: String
    let serverID: UInt32
    private let objects: S3ArchiveObjects
    private(set) var segments: [S3SegmentManifest]
    private(set) var durableSize: UInt64
    /// Bytes after ``durableSize``.
    private var pending = ByteBuffer()
    /// Where the whole events in ``pending`` end.
    private var wholeEnd: UInt64
    private var inUseFlagCleared = false
    /// SHA-256 of the segments so far, when every one of them passed through this writer or was read at resume.
    private var runningHash: SHA256?
    /// The stored segment ``holds(_:at:)`` read last.
    private var compared: (offset: UInt64, bytes: ByteBuffer)?

    var location: String { self.objects.url(self.objects.layout.filePrefix(serverID: self.serverID, file: self.name)) }
    var size: UInt64 { self.durableSize + UInt64(self.pending.readableBytes) }

    /// A new file holding the binlog magic (not uploaded until its first events are).
    init(newFile name: String, serverID: UInt32, objects: S3ArchiveObjects) {
        self.name = name
        self.serverID = serverID
        self.objects = objects
        self.segments = []
        self.durableSize = 0
        self.pending.writeBytes(ArchiveFileWriter.magic)
        self.wholeEnd = 4
        self.runningHash = SHA256()
    }

    /// A file whose segments (checked, contiguous, whole events) are already stored.
    init(
        resumed name: String,
        serverID: UInt32,
        segments: [S3SegmentManifest],
        hash: SHA256?,
        objects: S3ArchiveObjects
    ) {
        self.runningHash = hash
        self.name = name
        self.serverID = serverID
        self.objects = objects
        self.segments = segments
        self.durableSize = segments.last?.end ?? 0
        self.wholeEnd = self.durableSize
    }

    func append(_ bytes: ByteBuffer) throws {
        var bytes = bytes
        self.pending.writeBuffer(&bytes)
        self.advanceWholeEnd()
        if self.wholeEnd - self.durableSize >= Self.segmentLimit { try self.upload() }
    }

    /// Nothing: segments go out at ``sync()``, every `--upload-interval`.
    func flush() throws {}

    func sync() throws { try self.upload() }

    func complete() throws {
        try self.upload()
        guard self.durableSize == self.size else {
            throw ArchiveError("a file was completed inside an event", path: self.location, offset: self.wholeEnd)
        }
        self.inUseFlagCleared = true
    }

    /// Writes the completion manifest, after the last segment.
    func seal(_ entry: ArchivedFile, index: ArchiveIndex) throws {
        try self.upload()
        let completion = S3FileCompletion(
            serverID: self.serverID,
            server: index.server,
            serverVersion: index.serverVersion,
            entry: entry,
            segments: self.segments,
            sha256: try self.runningHash?.finalize().hex ?? self.joinedSHA256(),
            inUseFlagCleared: self.inUseFlagCleared
        )
        try self.objects.putJSON(
            self.objects.layout.completionKey(serverID: self.serverID, file: self.name),
            completion
        )
    }

    func holds(_ bytes: ByteBuffer, at offset: UInt64) throws -> Bool {
        let count = UInt64(bytes.readableBytes)
        guard offset + count <= self.size else { return false }
        var archived = ByteBuffer()
        var at = offset
        while at < offset + count {
            if at >= self.durableSize {
                let start = self.pending.readerIndex + Int(at - self.durableSize)
                guard let tail = self.pending.getSlice(at: start, length: Int(offset + count - at)) else {
                    return false
                }
                archived.writeImmutableBuffer(tail)
                break
            }
            guard let segment = self.segments.last(where: { $0.offset <= at }) else { return false }
            let stored = try self.storedSegment(segment)
            let length = min(segment.end, offset + count) - at
            guard let slice = stored.getSlice(at: stored.readerIndex + Int(at - segment.offset), length: Int(length))
            else { return false }
            archived.writeImmutableBuffer(slice)
            at += length
        }
        return archived.readableBytesView.elementsEqual(bytes.readableBytesView)
    }

    /// The bytes of a stored segment; the last one read is kept, as a resumed file is compared event by event.
    private func storedSegment(_ segment: S3SegmentManifest) throws -> ByteBuffer {
        if let compared = self.compared, compared.offset == segment.offset { return compared.bytes }
        let bytes = try self.objects.getSegment(
            self.objects.layout.segmentKey(serverID: self.serverID, file: self.name, offset: segment.offset),
            encoding: segment.encoding
        )
        self.compared = (segment.offset, bytes)
        return bytes
    }

    func cut(to size: UInt64) throws {
        guard size >= self.durableSize else {
            throw ArchiveError(
                "the archive's bytes from \(size) differ from the server's, but they are in segments already "
                    + "stored, which are never rewritten; archive into a new prefix",
                path: self.location,
                offset: size
            )
        }
        guard size < self.size else { return }
        self.pending.moveWriterIndex(to: self.pending.readerIndex + Int(size - self.durableSize))
        self.wholeEnd = min(self.wholeEnd, size)
        self.advanceWholeEnd()
    }

    /// Moves ``wholeEnd`` over the events in ``pending`` that arrived whole.
    private func advanceWholeEnd() {
        let headerLength = UInt64(BinlogEventHeader.v4Length)
        while self.wholeEnd + headerLength <= self.size {
            let at = self.pending.readerIndex + Int(self.wholeEnd - self.durableSize) + 9
            guard let eventSize = self.pending.getInteger(at: at, endianness: .little, as: UInt32.self),
                UInt64(eventSize) >= headerLength, self.wholeEnd + UInt64(eventSize) <= self.size
            else { return }
            self.wholeEnd += UInt64(eventSize)
        }
    }

    /// Stores the whole events waiting as a new segment, then its manifest.
    private func upload() throws {
        let count = self.wholeEnd - self.durableSize
        // The magic alone is not worth an object: a file with no segment yet starts again from its magic.
        guard count > 0, self.wholeEnd > 4,
            let body = self.pending.getSlice(at: self.pending.readerIndex, length: Int(count))
        else { return }
        let offset = self.durableSize
        let sha256 = SHA256.hex(of: body)
        let layout = self.objects.layout
        let key = layout.segmentKey(serverID: self.serverID, file: self.name, offset: offset)
        var encoding: ObjectEncoding?
        var storedLength: UInt64
        do {
            (encoding, storedLength) = try self.objects.putSegment(key, body, sha256: sha256)
        } catch let error as S3Error where error.code == .preconditionFailed {
            // There already (a retried PUT that had succeeded): the same bytes are adopted, others refused.
            guard let stored = try self.objects.segmentMetadata(key), stored.sha256 == sha256, stored.length == count
            else {
                throw ArchiveError(
                    "a different segment is already stored at this offset; is another archiver writing here?",
                    path: self.objects.url(key),
                    offset: offset
                )
            }
            (encoding, storedLength) = (stored.encoding, stored.stored)
        }
        let manifest = S3SegmentManifest(
            serverID: self.serverID,
            file: self.name,
            offset: offset,
            length: count,
            sha256: sha256,
            encoding: encoding,
            storedLength: encoding == nil ? nil : storedLength
        )
        try self.objects.putJSON(layout.manifestKey(serverID: self.serverID, file: self.name, offset: offset), manifest)
        self.runningHash?.update(body)
        self.segments.append(manifest)
        self.durableSize += count
        self.pending.moveReaderIndex(forwardBy: Int(count))
        self.pending.discardReadBytes()
    }

    /// SHA-256 of the joined segments, read back from the store (a completed file is checked once, whole).
    private func joinedSHA256() throws -> String {
        var hash = SHA256()
        for segment in self.segments {
            let key = self.objects.layout.segmentKey(serverID: self.serverID, file: self.name, offset: segment.offset)
            let bytes = try self.objects.getSegment(key, encoding: segment.encoding)
            guard SHA256.hex(of: bytes) == segment.sha256 else {
                throw ArchiveError(
                    "the stored segment does not match its manifest's SHA-256",
                    path: self.objects.url(key)
                )
            }
            hash.update(bytes)
        }
        return hash.finalize().hex
    }
}

extension Digest {
    /// Lower-case hex.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
