import Crypto
import NIOCore
import ObjectCodec
import ObjectStorage

/// A segment that goes up in parts while its bytes arrive (an S3 multipart upload): a long event, after what of
/// its file is not stored yet (at most the magic), so that the archiver never holds the event whole.
///
/// The store shows the object only once the upload is completed (``complete(objects:)``), which the file writer
/// does after the archiver has checked the event (its CRC32), so a killed archiver, a cut stream or a bad event
/// leaves no object behind: only parts, which ``abort(objects:)`` (or the next archiver, see
/// ``S3ArchiveObjects/abortMultipartUploads(under:)``) frees. The object is keyed by its offset like any segment
/// and completed with `If-None-Match: *`, so it is written once. With the archive's codec (compression,
/// encryption) the parts carry the encoded stream, which the encoder makes as the bytes arrive (it holds at most a
/// frame).
struct S3MultipartSegment {
    /// The bytes of each part but the last (S3 wants at least 5 MiB): about what is held of the event at a time.
    static let partSize = 8 << 20

    let key: String
    /// The segment's first byte in its file.
    let offset: UInt64
    /// Where the segment ends: the end of its long event.
    let end: UInt64
    private let uploadID: String
    private var parts: [(number: Int, etag: String)] = []
    /// Stored bytes not sent yet (less than a part): one allocation of ``partSize``, sent whole and reused.
    private var buffer: ByteBuffer
    /// Stored bytes sent.
    private var sent: UInt64 = 0
    /// The segment's encoder, when the archive's codec encodes (``encoding``).
    private let encoder: ObjectEncoder?
    private var encoderFinished = false
    /// How the parts are encoded; `nil`: they hold the segment's bytes as they are.
    let encoding: ObjectEncoding?
    /// SHA-256 of the segment's (plain) bytes received.
    private var sha256 = SHA256()
    /// The file's running hash carried on over this segment's bytes (`nil`: the file writer has none).
    private(set) var fileHash: SHA256?
    /// SHA-256 of the segment, once the upload is completed.
    private(set) var completedSHA256: String?

    /// Bytes of the segment received so far.
    private(set) var received: UInt64 = 0
    /// The object's size in the store: what its parts hold (all of it once completed).
    var storedSize: UInt64 { self.sent + UInt64(self.buffer.readableBytes) }
    /// Every byte up to ``end`` has arrived.
    var isWhole: Bool { self.offset + self.received == self.end }

    /// Starts the upload of the segment `offset ..< end` at `key`.
    init(key: String, offset: UInt64, end: UInt64, fileHash: SHA256?, objects: S3ArchiveObjects) throws {
        self.key = key
        self.offset = offset
        self.end = end
        self.fileHash = fileHash
        self.buffer = ByteBufferAllocator().buffer(capacity: Self.partSize)
        let encoding = objects.codec.encoding
        self.encoding = encoding
        self.encoder =
            encoding == nil
            ? nil : objects.codec.makeEncoder(context: S3ArchiveObjects.codecContext(key, layout: objects.layout))
        var metadata = ["length": String(end - offset)]
        if let encoding { metadata.merge(encoding.metadata) { new, _ in new } }
        self.uploadID = try objects.createMultipartUpload(key, metadata: metadata)
    }

    /// Takes the next bytes; sends a part whenever ``partSize`` bytes are waiting.
    ///
    /// - Throws: ``ArchiveError`` for bytes past ``end`` (the caller hands on one event's bytes); what the store
    ///   answers.
    mutating func add(_ bytes: ByteBuffer, objects: S3ArchiveObjects) throws {
        guard self.offset + self.received + UInt64(bytes.readableBytes) <= self.end else {
            throw ArchiveError(
                "internal: \(bytes.readableBytes) bytes past the end of the event being uploaded in parts",
                path: objects.url(self.key),
                offset: self.offset + self.received
            )
        }
        // Counted as they come: a failure here abandons the upload, and complete() sends nothing more of them.
        self.sha256.update(bytes)
        self.fileHash?.update(bytes)
        self.received += UInt64(bytes.readableBytes)
        var bytes = try self.encoder?.encode(bytes) ?? bytes
        while var piece = bytes.readSlice(length: min(bytes.readableBytes, Self.partSize - self.buffer.readableBytes)),
            piece.readableBytes > 0
        {
            self.buffer.writeBuffer(&piece)
            if self.buffer.readableBytes == Self.partSize { try self.sendPart(objects: objects) }
        }
    }

    /// Sends the last part and joins the parts into the object, only where no object is yet; an object already
    /// there is adopted when it is this upload's (a join whose answer was lost and was sent again), refused
    /// otherwise. Returns the segment's SHA-256; called again after it succeeded, it only returns it.
    ///
    /// - Throws: ``ArchiveError`` when another object holds the key; what the store answers (the upload is left as
    ///   it is, to be completed by a later call or aborted).
    mutating func complete(objects: S3ArchiveObjects) throws -> String {
        if let completedSHA256 { return completedSHA256 }
        guard self.isWhole else {
            throw ArchiveError(
                "internal: a segment completed at \(self.offset + self.received) of \(self.end) bytes",
                path: objects.url(self.key)
            )
        }
        if let encoder = self.encoder, !self.encoderFinished {
            // The last frames (at most one frame and the final one) go with the last part, which may be longer.
            var tail = try encoder.finish()
            self.buffer.writeBuffer(&tail)
            self.encoderFinished = true
        }
        if self.buffer.readableBytes > 0 || self.parts.isEmpty { try self.sendPart(objects: objects) }
        do {
            try objects.completeMultipartUpload(self.key, uploadID: self.uploadID, parts: self.parts)
        } catch let error as S3Error where error.code == .preconditionFailed || error.s3Code == "NoSuchUpload" {
            // Completed by a request whose answer was lost (the retry finds the object, or no upload any more):
            // the object is ours when its size and ETag are those of these parts.
            let stored = try objects.head(self.key)
            guard let stored, stored.size == Int64(self.storedSize),
                let etag = Self.multipartETag(self.parts.map(\.etag)), stored.etag == etag
            else {
                throw ArchiveError(
                    "a different segment is already stored at this offset; is another archiver writing here?",
                    path: objects.url(self.key),
                    offset: self.offset
                )
            }
        }
        let hex = self.sha256.finalize().hex
        self.completedSHA256 = hex
        return hex
    }

    /// Abandons the upload and frees its parts (best effort: an upload left behind is aborted by the next
    /// archiver).
    func abort(objects: S3ArchiveObjects) {
        try? objects.abortMultipartUpload(self.key, uploadID: self.uploadID)
    }

    /// Sends what is buffered as the next part; the buffer is then empty again (the same memory, when the client
    /// has let go of the part). A failed part is sent again by the next call.
    private mutating func sendPart(objects: S3ArchiveObjects) throws {
        let number = self.parts.count + 1
        let etag = try objects.uploadPart(self.key, uploadID: self.uploadID, number: number, body: self.buffer)
        self.parts.append((number, etag))
        self.sent += UInt64(self.buffer.readableBytes)
        self.buffer.clear()
    }

    /// The ETag S3 gives an object joined from parts: the MD5 of the parts' MD5s, a dash and the number of parts;
    /// `nil` when a part's ETag is not an MD5 (some encrypted stores).
    static func multipartETag(_ partETags: [String]) -> String? {
        var digests: [UInt8] = []
        for etag in partETags {
            let hex = Array(etag.utf8)
            guard hex.count == 32 else { return nil }
            for index in stride(from: 0, to: 32, by: 2) {
                guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { return nil }
                digests.append(high << 4 | low)
            }
        }
        return Insecure.MD5.hash(data: digests).hex + "-\(partETags.count)"
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
