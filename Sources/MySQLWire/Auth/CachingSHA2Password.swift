import Crypto
import _CryptoExtras

/// The `caching_sha2_password` auth plugin (MySQL 8's default).
///
/// The client first sends the scramble `SHA256(password) XOR SHA256(SHA256(SHA256(password)) ‖ nonce)`. If the
/// server has the account in its cache it answers `AuthMoreData(0x03)` ("fast auth") and then OK. Otherwise it
/// answers `AuthMoreData(0x04)` ("full auth"): over TLS (or a Unix socket) the client sends the password in clear,
/// NUL-terminated; otherwise it encrypts `(password ‖ NUL) XOR nonce` (nonce repeated) with the server's RSA public
/// key using RSA-OAEP (SHA-1), asking for the key with the byte `0x02` when it has none.
package enum CachingSHA2Password {
    package static let pluginName = "caching_sha2_password"

    /// `AuthMoreData` byte: the server accepted the scramble from its cache.
    package static let fastAuthSuccess: UInt8 = 0x03
    /// `AuthMoreData` byte: the server needs the password itself.
    package static let performFullAuthentication: UInt8 = 0x04
    /// What the client sends to ask for the server's RSA public key.
    package static let requestPublicKey: UInt8 = 0x02

    /// The 32-byte fast-auth scramble; empty for an empty password.
    package static func scramble(password: String, nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(SHA256.hash(data: Array(password.utf8)))
        let stage2 = Array(SHA256.hash(data: stage1))
        var hasher = SHA256()
        hasher.update(data: stage2)
        hasher.update(data: nonce.prefix(20))
        let mix = Array(hasher.finalize())
        return zip(stage1, mix).map { $0 ^ $1 }
    }

    /// `(password ‖ NUL) XOR nonce`, the nonce repeated as needed: what gets RSA-encrypted.
    package static func obfuscate(password: String, nonce: [UInt8]) -> [UInt8] {
        let plain = Array(password.utf8) + [0]
        let key = Array(nonce.prefix(20))
        guard !key.isEmpty else { return plain }
        return plain.enumerated().map { $0.element ^ key[$0.offset % key.count] }
    }

    /// The password for full authentication, encrypted with the server's RSA public key (PEM, `BEGIN PUBLIC KEY`).
    ///
    /// - Throws: ``MySQLError`` with ``MySQLError/Code-swift.struct/authenticationFailed`` when the key cannot be
    ///   read or the password is too long for it.
    package static func encryptPassword(_ password: String, nonce: [UInt8], publicKeyPEM: String) throws -> [UInt8] {
        do {
            let key = try _RSA.Encryption.PublicKey(unsafePEMRepresentation: publicKeyPEM)
            let data = try key.encrypt(self.obfuscate(password: password, nonce: nonce), padding: .PKCS1_OAEP)
            return Array(data)
        } catch {
            throw MySQLError(
                code: .authenticationFailed,
                reason: "cannot encrypt the password with the server's RSA public key",
                cause: error
            )
        }
    }
}
