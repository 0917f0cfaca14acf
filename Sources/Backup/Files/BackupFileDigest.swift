import Crypto

/// The SHA-256 of a backup file that is not a chunk (schema, session, grants), as the manifest records it.
enum BackupFileDigest {
    static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let digits: [Character] = Array("0123456789abcdef")
            return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }.joined()
    }
}
