import Crypto

/// The `mysql_native_password` auth plugin:
/// `SHA1(password) XOR SHA1(nonce ‖ SHA1(SHA1(password)))`, empty for an empty password.
package enum MySQLNativePassword {
    package static let pluginName = "mysql_native_password"

    /// The 20-byte answer to a 20-byte `nonce`.
    package static func scramble(password: String, nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(Insecure.SHA1.hash(data: Array(password.utf8)))
        let stage2 = Array(Insecure.SHA1.hash(data: stage1))
        var hasher = Insecure.SHA1()
        hasher.update(data: nonce.prefix(20))
        hasher.update(data: stage2)
        let mix = Array(hasher.finalize())
        return zip(stage1, mix).map { $0 ^ $1 }
    }
}
