import Crypto
import NIOCore

extension SHA256 {
    /// SHA-256 of a buffer's readable bytes, lower-case hex.
    static func hex(of buffer: ByteBuffer) -> String {
        var hash = SHA256()
        hash.update(buffer)
        return hash.finalize().hex
    }

    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { self.update(bufferPointer: $0) }
    }
}
