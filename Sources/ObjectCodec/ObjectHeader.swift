import NIOCore

/// The first 40 bytes of an encoded object: which format, compression and cipher, the frame size, the id of the
/// key and the salt the object's own key is derived with.
///
///     ┌───────────┬─────────────┬─────────────────┬────────────────┬──────────────┬────────────────────┬──────────┐
///     │ magic (8) │ version (1) │ compression (1) │ encryption (1) │ reserved (1) │ frame size (4, LE) │ …        │
///     └───────────┴─────────────┴─────────────────┴────────────────┴──────────────┴────────────────────┴──────────┘
///     … ┌────────────┬───────────┐
///       │ key id (8) │ salt (16) │      magic: 89 52 57 4f 0d 0a 1a 0a ("\x89RWO\r\n\x1a\n")
///       └────────────┴───────────┘      compression: 0 none, 1 zstd; encryption: 0 none, 1 AES-256-GCM
///
/// The key id and salt are zero in an object that is not encrypted. The whole header is part of every frame's
/// authenticated data, so a changed header fails the first frame.
struct ObjectHeader: Hashable, Sendable {
    static let magic: [UInt8] = [0x89, 0x52, 0x57, 0x4F, 0x0D, 0x0A, 0x1A, 0x0A]
    static let length = 40
    /// The largest frame a reader accepts (it holds one frame in memory).
    static let maxFrameSize = 16 << 20

    var version: UInt8 = UInt8(ObjectEncoding.currentVersion)
    var compression: ObjectCompression
    var encryption: ObjectEncryption
    var frameSize: UInt32
    var keyID: [UInt8]
    var salt: [UInt8]

    var encoding: ObjectEncoding {
        ObjectEncoding(
            version: Int(self.version),
            compression: self.compression,
            encryption: self.encryption,
            keyID: self.encryption == .none ? nil : ObjectKey.hex(self.keyID)
        )
    }

    var bytes: [UInt8] {
        var bytes = Self.magic
        bytes += [self.version, self.compression.code, self.encryption.code, 0]
        withUnsafeBytes(of: self.frameSize.littleEndian) { bytes += $0 }
        return bytes + self.keyID + self.salt
    }

    /// Whether `buffer` begins with the magic.
    static func begins(_ buffer: ByteBuffer) -> Bool {
        buffer.getBytes(at: buffer.readerIndex, length: Self.magic.count) == Self.magic
    }

    /// Reads a header from the first ``length`` bytes of `buffer`.
    ///
    /// - Throws: ``ObjectCodecError``: `malformed` (no magic, a zero or too large frame size), `unsupported` (a newer
    ///   version, an unknown compression or cipher).
    static func decode(from buffer: inout ByteBuffer, object: String?) throws -> Self {
        guard let bytes = buffer.readBytes(length: Self.length) else {
            throw ObjectCodecError(
                .truncated,
                "the object ends inside its \(Self.length)-byte codec header (\(buffer.readableBytes) bytes)",
                object: object
            )
        }
        guard Array(bytes[0..<8]) == Self.magic else {
            throw ObjectCodecError(
                .malformed,
                "the object does not begin with the rewind codec header (magic 89 52 57 4f 0d 0a 1a 0a), yet it is "
                    + "recorded as encoded; was it replaced?",
                object: object
            )
        }
        let version = bytes[8]
        guard version >= 1, Int(version) <= ObjectEncoding.currentVersion else {
            throw ObjectCodecError(
                .unsupported,
                "the object is in codec version \(version); this rewind reads up to \(ObjectEncoding.currentVersion): "
                    + "use a newer rewind",
                object: object
            )
        }
        guard let compression = ObjectCompression(code: bytes[9]) else {
            throw ObjectCodecError(.unsupported, "unknown compression \(bytes[9]) in the codec header", object: object)
        }
        guard let encryption = ObjectEncryption(code: bytes[10]) else {
            throw ObjectCodecError(.unsupported, "unknown cipher \(bytes[10]) in the codec header", object: object)
        }
        let frameSize = bytes[12..<16].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard frameSize > 0, frameSize <= Self.maxFrameSize, bytes[11] == 0 else {
            throw ObjectCodecError(
                .malformed,
                "the codec header's frame size (\(frameSize)) is not in 1...\(Self.maxFrameSize) or its reserved "
                    + "byte is set",
                object: object
            )
        }
        return Self(
            version: version,
            compression: compression,
            encryption: encryption,
            frameSize: frameSize,
            keyID: Array(bytes[16..<24]),
            salt: Array(bytes[24..<40])
        )
    }
}
