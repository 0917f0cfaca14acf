import Crypto
import Foundation

/// A 256-bit key that encrypts objects (`--encryption-key-file`, `REWIND_ENCRYPTION_KEY_FILE`).
///
/// Its ``id`` is a public fingerprint (the first 8 bytes of HMAC-SHA256 of a fixed text under the key, in hex): an
/// object's header and metadata record it, so a reader given another key is told so before any frame is opened.
/// The key itself is never printed: ``description`` shows the id only.
package struct ObjectKey: Sendable, CustomStringConvertible {
    /// The length of a key, in bytes.
    package static let byteCount = 32
    /// The environment variable naming the key file when `--encryption-key-file` is not given.
    package static let environmentVariable = "REWIND_ENCRYPTION_KEY_FILE"

    /// The key's bytes (kept as bytes: `SymmetricKey` is not `Sendable` in this swift-crypto).
    private let material: [UInt8]
    /// The first 8 bytes of the fingerprint, as an object's header stores them.
    let idBytes: [UInt8]

    /// A key from its 32 bytes.
    ///
    /// - Throws: ``ObjectCodecError`` (`badKey`) when `bytes` is not 32 bytes long.
    package init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == Self.byteCount else {
            throw ObjectCodecError(.badKey, "an encryption key is \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.material = Array(bytes)
        let code = HMAC<SHA256>.authenticationCode(
            for: Array("rewind object key id v1".utf8),
            using: SymmetricKey(data: self.material)
        )
        self.idBytes = Array(Array(code).prefix(8))
    }

    var key: SymmetricKey { SymmetricKey(data: self.material) }

    /// 16 lower-case hex digits.
    package var id: String { Self.hex(self.idBytes) }

    package var description: String { "key id \(self.id)" }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
