import Crypto

/// MariaDB's `client_ed25519` auth plugin (the server side is `auth_ed25519`, `IDENTIFIED VIA ed25519`).
///
/// The answer to the server's 32-byte nonce is an Ed25519 signature of it (RFC 8032), whose expanded secret is
/// SHA-512 of the password itself, where RFC 8032 takes SHA-512 of a 32-byte seed. The server keeps only the
/// public key. See ``Ed25519``.
package enum ClientEd25519 {
    package static let pluginName = "client_ed25519"

    /// The 64-byte signature of `nonce`.
    package static func signature(password: String, nonce: [UInt8]) -> [UInt8] {
        Ed25519.sign(expandedSecret: Array(SHA512.hash(data: Array(password.utf8))), message: nonce)
    }
}
