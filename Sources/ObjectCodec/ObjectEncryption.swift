/// How the frames of an object are sealed.
package enum ObjectEncryption: String, Codable, Hashable, Sendable {
    /// Not encrypted.
    case none
    /// AES-256-GCM under a key derived for the object (HKDF-SHA256 of the key and the header's salt), each frame
    /// with its own nonce (its index) and its index, flags and lengths authenticated.
    case aes256GCM = "aes-256-gcm"

    /// The header's byte.
    var code: UInt8 {
        switch self {
        case .none: 0
        case .aes256GCM: 1
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .none
        case 1: self = .aes256GCM
        default: return nil
        }
    }
}
