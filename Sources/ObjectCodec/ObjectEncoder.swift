import NIOCore

/// Encodes one object as a stream: ``encode(_:)`` takes plain bytes and returns the stored bytes ready so far (the
/// header, then whole frames), ``finish()`` the rest, ending with the final frame. At most one frame of plain bytes
/// waits inside, so stored bytes can go out in parts (a multipart upload) as they come.
package final class ObjectEncoder {
    package let encoding: ObjectEncoding
    private let header: ObjectHeader
    private let sealer: ObjectFrameSealer?
    private let zstd: ZstdFrameCodec?
    private let frameSize: Int
    private var pending = ByteBuffer()
    private var headerWritten = false
    private var index: UInt64 = 0
    private var finished = false

    /// - Parameter salt: the salt the object's key is derived with (16 bytes; random unless a test gives one).
    init(codec: ObjectCodec, context: [UInt8], salt: [UInt8]? = nil) {
        var generator = SystemRandomNumberGenerator()
        let salt = codec.key == nil ? [UInt8](repeating: 0, count: 16) : salt ?? (0..<16).map { _ in generator.next() }
        let header = ObjectHeader(
            compression: codec.compression,
            encryption: codec.key == nil ? .none : .aes256GCM,
            frameSize: UInt32(codec.frameSize),
            keyID: codec.key?.idBytes ?? [UInt8](repeating: 0, count: 8),
            salt: salt
        )
        self.header = header
        self.encoding = header.encoding
        self.sealer = codec.key.map { ObjectFrameSealer(key: $0, header: header, context: context) }
        self.zstd = codec.compression == .zstd ? ZstdFrameCodec(checksum: codec.key == nil) : nil
        self.frameSize = codec.frameSize
    }

    /// Takes `plain` and returns the stored bytes ready: the header first, then each frame completed (a full frame
    /// is held until more bytes or ``finish()`` tell whether it is the final one).
    package func encode(_ plain: ByteBuffer) throws -> ByteBuffer {
        precondition(!self.finished, "encode after finish")
        var plain = plain
        self.pending.writeBuffer(&plain)
        var stored = self.takeHeader()
        while self.pending.readableBytes > self.frameSize {
            try self.writeFrame(length: self.frameSize, final: false, into: &stored)
        }
        self.pending.discardReadBytes()
        return stored
    }

    /// The remaining stored bytes: the header (for an empty object), the last frames and the final frame.
    package func finish() throws -> ByteBuffer {
        precondition(!self.finished, "finish twice")
        var stored = self.takeHeader()
        while self.pending.readableBytes > self.frameSize {
            try self.writeFrame(length: self.frameSize, final: false, into: &stored)
        }
        try self.writeFrame(length: self.pending.readableBytes, final: true, into: &stored)
        self.finished = true
        return stored
    }

    private func takeHeader() -> ByteBuffer {
        var stored = ByteBuffer()
        if !self.headerWritten {
            stored.writeBytes(self.header.bytes)
            self.headerWritten = true
        }
        return stored
    }

    private func writeFrame(length: Int, final: Bool, into stored: inout ByteBuffer) throws {
        let plain = self.pending.readBytes(length: length) ?? []
        var flags: UInt8 = final ? ObjectFrameHeader.finalFlag : 0
        var payload = plain
        if let zstd, let compressed = try plain.withUnsafeBytes({ try zstd.compress($0) }) {
            payload = compressed
        } else {
            flags |= ObjectFrameHeader.storedFlag
        }
        let tag = self.sealer == nil ? 0 : ObjectFrameSealer.tagLength
        let frame = ObjectFrameHeader(
            flags: flags,
            plainLength: UInt32(plain.count),
            bodyLength: UInt32(payload.count + tag)
        )
        let body = try self.sealer?.seal(payload, index: self.index, frame: frame) ?? payload
        stored.writeBytes(frame.bytes)
        stored.writeBytes(body)
        self.index += 1
    }
}
