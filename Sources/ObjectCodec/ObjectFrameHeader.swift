import NIOCore

/// The 9 bytes before each frame's body.
///
///     ┌───────────┬───────────────────────┬──────────────────────┬──────────────────────────────────────────────┐
///     │ flags (1) │ plain length (4, LE)  │ body length (4, LE)  │ body: payload, or ciphertext ‖ GCM tag (16)  │
///     └───────────┴───────────────────────┴──────────────────────┴──────────────────────────────────────────────┘
///     flags: bit 0 final (the object's last frame), bit 1 stored (the payload is not compressed)
///
/// Every frame but the final one holds exactly the header's frame size of plain bytes; the final one holds the
/// rest (maybe none). The payload is never larger than the plain bytes (a frame zstd would not shrink is stored),
/// so a body is at most the frame size, plus the tag when encrypted: a reader rejects a larger length before
/// waiting for its bytes.
struct ObjectFrameHeader: Hashable, Sendable {
    static let length = 9
    static let finalFlag: UInt8 = 1
    static let storedFlag: UInt8 = 2

    var flags: UInt8
    var plainLength: UInt32
    var bodyLength: UInt32

    var isFinal: Bool { self.flags & Self.finalFlag != 0 }
    var isStored: Bool { self.flags & Self.storedFlag != 0 }

    var bytes: [UInt8] {
        var bytes = [self.flags]
        withUnsafeBytes(of: self.plainLength.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: self.bodyLength.littleEndian) { bytes += $0 }
        return bytes
    }

    /// Reads a frame header when its 9 bytes are there (`nil` otherwise, nothing consumed).
    static func read(from buffer: inout ByteBuffer) -> Self? {
        guard buffer.readableBytes >= Self.length,
            let flags = buffer.readInteger(as: UInt8.self),
            let plain = buffer.readInteger(endianness: .little, as: UInt32.self),
            let body = buffer.readInteger(endianness: .little, as: UInt32.self)
        else { return nil }
        return Self(flags: flags, plainLength: plain, bodyLength: body)
    }
}
