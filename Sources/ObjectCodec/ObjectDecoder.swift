import NIOCore

/// Decodes one object as a stream: ``decode(_:limit:)`` takes stored bytes in any pieces and returns the plain bytes
/// of the frames completed; ``finish()`` checks that the object ended with its final frame. It holds at most one
/// frame (plus the piece given) in memory.
package final class ObjectDecoder {
    private let key: ObjectKey?
    private let context: [UInt8]
    private let object: String?
    private var pending = ByteBuffer()
    private var header: ObjectHeader?
    private var sealer: ObjectFrameSealer?
    private var zstd: ZstdFrameCodec?
    private var frame: ObjectFrameHeader?
    private var index: UInt64 = 0
    private var ended = false

    /// What the object's header says, once it was read.
    package var encoding: ObjectEncoding? { self.header?.encoding }

    init(key: ObjectKey?, context: [UInt8], object: String?) {
        self.key = key
        self.context = context
        self.object = object
    }

    /// Takes the next stored bytes; returns the plain bytes of the frames they complete, frame after frame until
    /// `limit` plain bytes are out (whole frames: up to a frame more). What is not decoded yet waits inside for the
    /// next call (an empty `stored` decodes more of it), so a reader bounds what it holds whatever the compression.
    ///
    /// - Throws: ``ObjectCodecError``: `missingKey`, `wrongKey` (named by key id), `authenticationFailed` (a changed,
    ///   moved or foreign frame), `malformed` (lengths out of bounds, bytes after the final frame), `unsupported`,
    ///   `compression`.
    package func decode(_ stored: ByteBuffer, limit: Int = .max) throws -> ByteBuffer {
        var stored = stored
        self.pending.writeBuffer(&stored)
        var plain = ByteBuffer()
        if self.header == nil {
            guard self.pending.readableBytes >= ObjectHeader.length else { return plain }
            try self.start(try ObjectHeader.decode(from: &self.pending, object: self.object))
        }
        while true {
            if self.ended {
                guard self.pending.readableBytes == 0 else {
                    throw ObjectCodecError(
                        .malformed,
                        "\(self.pending.readableBytes) bytes follow the final frame: bytes were added to the object",
                        object: self.object,
                        frame: self.index
                    )
                }
                break
            }
            if self.frame == nil {
                guard plain.readableBytes < limit, let frame = ObjectFrameHeader.read(from: &self.pending) else {
                    break
                }
                try self.check(frame)
                self.frame = frame
            }
            guard let frame = self.frame, let body = self.pending.readBytes(length: Int(frame.bodyLength)) else {
                break
            }
            plain.writeBytes(try self.open(body, frame: frame))
            self.frame = nil
            self.index += 1
            if frame.isFinal { self.ended = true }
        }
        self.pending.discardReadBytes()
        return plain
    }

    /// Checks that the object ended with its final frame.
    ///
    /// - Throws: ``ObjectCodecError`` (`truncated`) when it was cut short.
    package func finish() throws {
        guard self.ended else {
            let place =
                self.header == nil
                ? "inside its codec header" : self.frame == nil ? "before its final frame" : "inside a frame"
            throw ObjectCodecError(
                .truncated,
                "the object ends \(place) (after \(self.index) whole frames): it was cut short",
                object: self.object,
                frame: self.index
            )
        }
    }

    private func start(_ header: ObjectHeader) throws {
        self.header = header
        if header.encryption != .none {
            guard let key = self.key else {
                throw ObjectCodecError(
                    .missingKey,
                    "the object is encrypted (\(header.encryption.rawValue), key id \(ObjectKey.hex(header.keyID))) and "
                        + "no key was given: pass the key file with --encryption-key-file or "
                        + "\(ObjectKey.environmentVariable)",
                    object: self.object
                )
            }
            guard key.idBytes == header.keyID else {
                throw ObjectCodecError(
                    .wrongKey,
                    "the object was encrypted with key id \(ObjectKey.hex(header.keyID)), but the key given has key "
                        + "id \(key.id): give the key it was written with",
                    object: self.object
                )
            }
            self.sealer = ObjectFrameSealer(key: key, header: header, context: self.context)
        }
        if header.compression == .zstd { self.zstd = ZstdFrameCodec(checksum: header.encryption == .none) }
    }

    private func check(_ frame: ObjectFrameHeader) throws {
        guard let header = self.header else { return }
        let tag = self.sealer == nil ? 0 : ObjectFrameSealer.tagLength
        let unknownFlags = frame.flags & ~(ObjectFrameHeader.finalFlag | ObjectFrameHeader.storedFlag)
        let fullOrFinal = frame.isFinal ? frame.plainLength <= header.frameSize : frame.plainLength == header.frameSize
        let bodyFits =
            frame.isStored
            ? Int(frame.bodyLength) == Int(frame.plainLength) + tag
            : Int(frame.bodyLength) <= Int(frame.plainLength) + tag
        guard unknownFlags == 0, fullOrFinal, bodyFits, frame.isStored || header.compression == .zstd else {
            throw ObjectCodecError(
                .malformed,
                "frame header out of bounds (flags \(frame.flags), \(frame.plainLength) plain bytes, body "
                    + "\(frame.bodyLength) bytes, frame size \(header.frameSize)): the object is damaged",
                object: self.object,
                frame: self.index
            )
        }
    }

    private func open(_ body: [UInt8], frame: ObjectFrameHeader) throws -> [UInt8] {
        var payload = body
        if let sealer = self.sealer {
            guard let opened = sealer.open(body, index: self.index, frame: frame) else {
                throw ObjectCodecError(
                    .authenticationFailed,
                    "the frame does not authenticate (AES-256-GCM): the object was changed, cut, reordered or stored "
                        + "under another name than it was written for; it cannot be trusted",
                    object: self.object,
                    frame: self.index
                )
            }
            payload = opened
        }
        if frame.isStored { return payload }
        guard let zstd = self.zstd else { return payload }
        return try zstd.decompress(payload, plainLength: Int(frame.plainLength), object: self.object, frame: self.index)
    }
}
