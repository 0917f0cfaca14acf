import NIOCore

/// Client-side compression and encryption of stored objects (segments of an archive in S3, backup chunks): how a
/// writer encodes (``compression``, ``key``) and what a reader needs (``key`` only; the rest is in the object).
///
/// An encoded object is a header (``ObjectHeader``) and independent frames (``ObjectFrameHeader``) of at most
/// ``frameSize`` plain bytes each, each zstd-compressed and, with a key, sealed with AES-256-GCM. Objects are
/// encoded and decoded as streams, a frame at a time (``makeEncoder(context:)``, ``makeDecoder(context:object:)``),
/// so a reader holds one frame in memory and a writer can send an object in parts. A codec with neither
/// compression nor a key writes objects as they are: ``encoding`` is then `nil` and nothing is to be recorded.
package struct ObjectCodec: Sendable {
    package var compression: ObjectCompression
    /// Encrypts with this key; decoding an encrypted object needs it.
    package var key: ObjectKey?
    /// Plain bytes per frame.
    package var frameSize: Int

    package static let defaultFrameSize = 1 << 20
    /// No compression, no key: objects are stored as they are (and encrypted ones cannot be read).
    package static let plain = ObjectCodec(compression: .none, key: nil)

    package init(compression: ObjectCompression, key: ObjectKey?, frameSize: Int = Self.defaultFrameSize) {
        precondition(frameSize > 0 && frameSize <= ObjectHeader.maxFrameSize, "frame size out of range")
        self.compression = compression
        self.key = key
        self.frameSize = frameSize
    }

    /// What objects written with this codec record (metadata, manifests); `nil` when they are stored as they are.
    package var encoding: ObjectEncoding? {
        guard self.compression != .none || self.key != nil else { return nil }
        return ObjectEncoding(
            compression: self.compression,
            encryption: self.key == nil ? .none : .aes256GCM,
            keyID: self.key?.id
        )
    }

    /// A streaming encoder for one object.
    ///
    /// - Parameter context: bytes the frames authenticate without storing them, typically the object's name in its
    ///   store (relative to the archive's root, so a copied archive still reads); the reader must give the same.
    package func makeEncoder(context: [UInt8] = []) -> ObjectEncoder {
        ObjectEncoder(codec: self, context: context)
    }

    /// A streaming decoder for one object.
    ///
    /// - Parameter object: the object's name in errors (its `s3://` URL or path).
    package func makeDecoder(context: [UInt8] = [], object: String? = nil) -> ObjectDecoder {
        ObjectDecoder(key: self.key, context: context, object: object)
    }

    /// `plain` encoded as one object; `plain` itself when ``encoding`` is `nil`.
    package func encode(_ plain: ByteBuffer, context: [UInt8] = []) throws -> ByteBuffer {
        guard self.encoding != nil else { return plain }
        let encoder = self.makeEncoder(context: context)
        var stored = try encoder.encode(plain)
        var rest = try encoder.finish()
        stored.writeBuffer(&rest)
        return stored
    }

    /// The plain bytes of a whole encoded object.
    ///
    /// - Throws: ``ObjectCodecError`` (missing or wrong key, a frame that does not authenticate, a cut object, …),
    ///   naming `object`.
    package func decode(_ stored: ByteBuffer, context: [UInt8] = [], object: String? = nil) throws -> ByteBuffer {
        let decoder = self.makeDecoder(context: context, object: object)
        let plain = try decoder.decode(stored)
        try decoder.finish()
        return plain
    }

    /// Whether `stored` begins with the codec's magic (an encoded object; a plain one may too, by chance, so the
    /// object's metadata or a manifest says which it is).
    package static func looksEncoded(_ stored: ByteBuffer) -> Bool { ObjectHeader.begins(stored) }
}
