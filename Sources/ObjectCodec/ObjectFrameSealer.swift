import Crypto
import Foundation

/// Seals and opens the frames of one object with AES-256-GCM.
///
/// The object's key is derived from the user's key and the header's random salt (HKDF-SHA256), so two objects never
/// share a key and a frame's nonce can simply be its index (4 zero bytes, then the index big-endian). Each frame
/// authenticates the whole header, the caller's context (the object's name in its store: a frame moved to another
/// object fails), its index (a frame moved within the object fails) and its own header (final flag, lengths: an
/// object cut after any frame but the final one is noticed).
struct ObjectFrameSealer {
    static let tagLength = 16
    private let key: SymmetricKey
    private let prefix: [UInt8]

    init(key: ObjectKey, header: ObjectHeader, context: [UInt8]) {
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key.key,
            salt: header.salt,
            info: Array("rewind object v1 aes-256-gcm".utf8),
            outputByteCount: 32
        )
        var prefix = header.bytes
        withUnsafeBytes(of: UInt32(context.count).littleEndian) { prefix += $0 }
        self.prefix = prefix + context
    }

    func seal(_ payload: [UInt8], index: UInt64, frame: ObjectFrameHeader) throws -> [UInt8] {
        let box = try AES.GCM.seal(
            payload,
            using: self.key,
            nonce: try Self.nonce(index),
            authenticating: self.authenticated(index: index, frame: frame)
        )
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// The payload, or `nil` when the frame does not authenticate.
    func open(_ body: [UInt8], index: UInt64, frame: ObjectFrameHeader) -> [UInt8]? {
        guard body.count >= Self.tagLength,
            let nonce = try? Self.nonce(index),
            let box = try? AES.GCM.SealedBox(
                nonce: nonce,
                ciphertext: body[..<(body.count - Self.tagLength)],
                tag: body[(body.count - Self.tagLength)...]
            ),
            let payload = try? AES.GCM.open(
                box,
                using: self.key,
                authenticating: self.authenticated(index: index, frame: frame)
            )
        else { return nil }
        return Array(payload)
    }

    private func authenticated(index: UInt64, frame: ObjectFrameHeader) -> [UInt8] {
        var data = self.prefix
        withUnsafeBytes(of: index.littleEndian) { data += $0 }
        return data + frame.bytes
    }

    private static func nonce(_ index: UInt64) throws -> AES.GCM.Nonce {
        var bytes: [UInt8] = [0, 0, 0, 0]
        withUnsafeBytes(of: index.bigEndian) { bytes += $0 }
        return try AES.GCM.Nonce(data: bytes)
    }
}
