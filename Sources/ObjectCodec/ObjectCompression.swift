/// How the frames of an object are compressed (`--compress`).
package enum ObjectCompression: String, Codable, Hashable, Sendable, CaseIterable {
    /// Stored as they are.
    case none
    /// Each frame is one zstd frame (level 3), or stored as it is when zstd would not make it smaller.
    case zstd

    /// The header's byte.
    var code: UInt8 {
        switch self {
        case .none: 0
        case .zstd: 1
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .none
        case 1: self = .zstd
        default: return nil
        }
    }
}
