import BinlogFormat
import Crypto
import NIOCore
import ObjectCodec
import ObjectStorage

/// One binlog file of an archive in S3, appended to as segments (see ``S3ArchiveLayout``).
///
/// Appended bytes are kept in memory until ``sync()`` (the store's sync interval, `--upload-interval`), or until
/// whole events of ``segmentLimit`` bytes are waiting; then the whole events go out as one new segment, written
/// once, followed by its manifest. A segment always ends at an event boundary, so a killed archiver never leaves a
/// partial event in the store and no byte is ever stored twice. ``durableSize`` counts the bytes in segments.
///
/// An event of ``multipartThreshold`` bytes or more is not held until it is whole: it goes up in parts as its
/// chunks arrive (``S3MultipartSegment``), a segment of its own that the store shows only when the upload is
/// completed, which happens at the next call after its last chunk (the archiver checks the event's CRC32 in
/// between, and cuts a bad one off with ``cut(to:)``, which aborts the upload). Memory does not grow with the event.
final class S3ArchiveFileWriter: ArchiveFileWriting {
    static let segmentLimit: UInt64 = 16 << 20
    /// Events announced at this size or more go up in parts as they arrive.
    static let multipartThreshold = UInt64(S3MultipartSegment.partSize)

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
    /// The window of a stored segment ``holds(_:at:)`` read last.
    private var compared = S3SegmentWindow()
    /// The long event going up in parts (see ``S3MultipartSegment``); ``pending`` then holds what comes before it
    /// and is not stored yet (at most the magic), which its segment begins with.
    private var multipart: S3MultipartSegment?

    var location: String { self.objects.url(self.objects.layout.filePrefix(serverID: self.serverID, file: self.name)) }
    var size: UInt64 {
        if let multipart { return multipart.offset + multipart.received }
        return self.durableSize + UInt64(self.pending.readableBytes)
    }

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

    /// Adds one whole event (checked already), or the next chunk of a long one (checked at its end, before the
    /// next call: what came before this call is good).
    func append(_ bytes: ByteBuffer) throws {
        try self.storeMultipart()
        if self.multipart != nil {
            do {
                try self.multipart?.add(bytes, objects: self.objects)
            } catch {
                self.abandonMultipart()
                throw error
            }
            return
        }
        // The bytes of this call wait: a chunk's event is only checked at its end.
        if self.wholeEnd - self.durableSize >= Self.segmentLimit { try self.upload() }
        var bytes = bytes
        self.pending.writeBuffer(&bytes)
        self.advanceWholeEnd()
        try self.startMultipartIfLong()
    }

    /// Nothing: segments go out at ``sync()``, every `--upload-interval`.
    func flush() throws {}

    func sync() throws {
        try self.storeMultipart()
        try self.upload()
    }

    func complete() throws {
        try self.sync()
        guard self.durableSize == self.size else {
            throw ArchiveError("a file was completed inside an event", path: self.location, offset: self.wholeEnd)
        }
        self.inUseFlagCleared = true
    }

    /// Writes the completion manifest, after the last segment.
    func seal(_ entry: ArchivedFile, index: ArchiveIndex) throws {
        try self.sync()
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
        let pendingEnd = self.durableSize + UInt64(self.pending.readableBytes)
        guard offset + count <= pendingEnd else { return false }
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
            let key = self.objects.layout.segmentKey(serverID: self.serverID, file: self.name, offset: segment.offset)
            try self.compared.load(
                key,
                size: segment.length,
                holding: at - segment.offset,
                objects: self.objects,
                encoding: segment.encoding,
                storedSize: segment.storedSize
            )
            let length = min(segment.offset + self.compared.end, offset + count) - at
            guard let slice = self.compared.slice(at: at - segment.offset, length: Int(length)) else { return false }
            archived.writeImmutableBuffer(slice)
            at += length
        }
        return archived.readableBytesView.elementsEqual(bytes.readableBytesView)
    }

    func cut(to size: UInt64) throws {
        if let multipart = self.multipart, multipart.completedSHA256 == nil {
            guard size < self.size else { return }
            guard size <= self.wholeEnd else {
                throw ArchiveError(
                    "internal: a cut at \(size), inside the event being uploaded in parts from \(self.wholeEnd)",
                    path: self.location,
                    offset: size
                )
            }
            self.abandonMultipart()
        }
        try self.storeMultipart()  // an upload completed, its manifest not yet written: stored
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

    /// Starts sending the event at ``wholeEnd`` in parts when it is long and not whole: the whole events before it
    /// go out first as a segment of their own; its segment takes what else is waiting (the magic, when the file has
    /// no segment yet, and the event's first bytes), and ``pending`` keeps what came before the event, should the
    /// event be cut off.
    private func startMultipartIfLong() throws {
        let headerLength = UInt64(BinlogEventHeader.v4Length)
        guard self.wholeEnd + headerLength <= self.size,
            let eventSize = self.pending.getInteger(
                at: self.pending.readerIndex + Int(self.wholeEnd - self.durableSize) + 9,
                endianness: .little,
                as: UInt32.self
            ),
            UInt64(eventSize) >= Self.multipartThreshold, self.wholeEnd + UInt64(eventSize) > self.size
        else { return }
        try self.upload()
        let offset = self.durableSize
        let key = self.objects.layout.segmentKey(serverID: self.serverID, file: self.name, offset: offset)
        var multipart = try S3MultipartSegment(
            key: key,
            offset: offset,
            end: self.wholeEnd + UInt64(eventSize),
            fileHash: self.runningHash,
            objects: self.objects
        )
        do {
            try multipart.add(self.pending, objects: self.objects)
        } catch {
            multipart.abort(objects: self.objects)
            throw error
        }
        self.multipart = multipart
        self.pending.moveWriterIndex(to: self.pending.readerIndex + Int(self.wholeEnd - self.durableSize))
    }

    /// Completes the upload of a long event that arrived whole (and was checked since), then writes its manifest.
    /// A failure leaves the upload as it is, for the next call to complete.
    private func storeMultipart() throws {
        guard var multipart = self.multipart, multipart.isWhole else { return }
        let sha256: String
        do {
            sha256 = try multipart.complete(objects: self.objects)
        } catch {
            self.multipart = multipart
            throw error
        }
        self.multipart = multipart
        let manifest = S3SegmentManifest(
            serverID: self.serverID,
            file: self.name,
            offset: multipart.offset,
            length: multipart.end - multipart.offset,
            sha256: sha256,
            encoding: multipart.encoding,
            storedLength: multipart.encoding == nil ? nil : multipart.storedSize
        )
        let layout = self.objects.layout
        try self.objects.putJSON(
            layout.manifestKey(serverID: self.serverID, file: self.name, offset: multipart.offset),
            manifest
        )
        self.multipart = nil
        self.runningHash = multipart.fileHash
        self.segments.append(manifest)
        self.durableSize = multipart.end
        self.pending.clear()  // what came before the event is in its segment
        self.wholeEnd = self.durableSize
    }

    /// Aborts the upload of a long event that will not be stored (a bad event, a broken stream): the file ends
    /// where the event began.
    private func abandonMultipart() {
        self.multipart?.abort(objects: self.objects)
        self.multipart = nil
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
            var window = S3SegmentWindow()
            var segmentHash = SHA256()
            var at: UInt64 = 0
            while at < segment.length {
                try window.load(
                    key,
                    size: segment.length,
                    holding: at,
                    objects: self.objects,
                    encoding: segment.encoding,
                    storedSize: segment.storedSize
                )
                segmentHash.update(window.bytes)
                hash.update(window.bytes)
                at = window.end
            }
            guard segmentHash.finalize().hex == segment.sha256 else {
                throw ArchiveError(
                    "the stored segment does not match its manifest's SHA-256",
                    path: self.objects.url(key)
                )
            }
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
