import NIOCore
import ObjectCodec
import ObjectStorage

extension S3ArchiveObjects {
    /// What a stored segment's frames authenticate: its key under the archive's prefix (`binlogs/…/OFFSET.seg`),
    /// so a segment moved to another place is refused, while the archive as a whole can be copied to another prefix.
    static func codecContext(_ key: String, layout: S3ArchiveLayout) -> [UInt8] {
        let prefix = layout.location.prefix
        return Array((key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key).utf8)
    }

    /// Stores a new segment once (`If-None-Match: *`), encoded with ``codec``; its metadata records the plain
    /// bytes' SHA-256 and length and the encoding.
    ///
    /// - Returns: the encoding and the stored size, for the segment's manifest.
    /// - Throws: ``S3Error`` (`preconditionFailed` when the key exists), ``ObjectCodecError``.
    func putSegment(_ key: String, _ plain: ByteBuffer, sha256: String) throws -> (ObjectEncoding?, UInt64) {
        let stored = try self.codec.encode(plain, context: Self.codecContext(key, layout: self.layout))
        var metadata = ["sha256": sha256, "length": String(plain.readableBytes)]
        if let encoding = self.codec.encoding { metadata.merge(encoding.metadata) { new, _ in new } }
        try self.put(key, stored, metadata: metadata, ifNoneMatch: true)
        return (self.codec.encoding, UInt64(stored.readableBytes))
    }

    /// The plain bytes of a stored segment, decoded as `encoding` (its manifest's or metadata's) says.
    ///
    /// - Throws: ``S3Error``; ``ArchiveError`` naming the segment when it cannot be decoded (no key or another
    ///   key for an encrypted segment, a changed or cut object).
    func getSegment(_ key: String, encoding: ObjectEncoding?, maxBytes: Int = 256 << 20) throws -> ByteBuffer {
        try Self.decodeSegment(
            self.get(key, maxBytes: maxBytes),
            key: key,
            encoding: encoding,
            codec: self.codec,
            layout: self.layout
        )
    }

    /// `stored` decoded, for the store and for readers that fetch segments themselves.
    static func decodeSegment(
        _ stored: ByteBuffer,
        key: String,
        encoding: ObjectEncoding?,
        codec: ObjectCodec,
        layout: S3ArchiveLayout
    ) throws -> ByteBuffer {
        guard encoding != nil else { return stored }
        let url = "s3://\(layout.location.bucket)/\(key)"
        do {
            return try codec.decode(stored, context: Self.codecContext(key, layout: layout), object: url)
        } catch let error as ObjectCodecError {
            throw ArchiveError(error.description)
        }
    }

    /// What a stored segment's user metadata says (for a segment without a manifest, or one found already there).
    struct SegmentMetadata {
        /// The plain bytes' length and SHA-256.
        var length: UInt64
        var sha256: String?
        var encoding: ObjectEncoding?
        /// The object's size in the store.
        var stored: UInt64
    }

    /// A segment's metadata (HEAD); `nil` when there is no such object.
    func segmentMetadata(_ key: String) throws -> SegmentMetadata? {
        guard let info = try self.head(key) else { return nil }
        let url = self.url(key)
        let encoding: ObjectEncoding?
        do {
            encoding = try ObjectEncoding(metadata: info.metadata, object: url)
        } catch let error as ObjectCodecError {
            throw ArchiveError(error.description)
        }
        let stored = UInt64(max(0, info.size))
        let sha256 = info.metadata["sha256"]
        guard encoding != nil else { return SegmentMetadata(length: stored, sha256: sha256, stored: stored) }
        guard let length = info.metadata["length"].flatMap(UInt64.init) else {
            throw ArchiveError("the encoded segment's metadata has no plain length (x-amz-meta-length)", path: url)
        }
        return SegmentMetadata(length: length, sha256: sha256, encoding: encoding, stored: stored)
    }
}
