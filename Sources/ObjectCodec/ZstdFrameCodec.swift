import CZstd

/// One-shot zstd compression and decompression of frames, reusing one context of each kind.
final class ZstdFrameCodec {
    private var compressor: OpaquePointer?
    private var decompressor: OpaquePointer?
    private let level: Int32
    private let checksum: Bool

    /// - Parameter checksum: add zstd's own content checksum (for frames that are not authenticated otherwise).
    init(level: Int32 = 3, checksum: Bool) {
        self.level = level
        self.checksum = checksum
    }

    deinit {
        if let compressor { ZSTD_freeCCtx(compressor) }
        if let decompressor { ZSTD_freeDCtx(decompressor) }
    }

    /// The compressed bytes, or `nil` when they would not be smaller than `plain` (the frame is then stored).
    func compress(_ plain: UnsafeRawBufferPointer) throws -> [UInt8]? {
        if self.compressor == nil {
            guard let context = ZSTD_createCCtx() else { throw Self.failure("cannot set up zstd compression") }
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, self.level)
            ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, self.checksum ? 1 : 0)
            self.compressor = context
        }
        guard plain.count > 0 else { return nil }
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(plain.count))
        let size = output.withUnsafeMutableBytes { out in
            ZSTD_compress2(self.compressor, out.baseAddress, out.count, plain.baseAddress, plain.count)
        }
        guard ZSTD_isError(size) == 0 else {
            throw Self.failure("zstd compression failed: \(String(cString: ZSTD_getErrorName(size)))")
        }
        guard size < plain.count else { return nil }
        output.removeSubrange(size...)
        return output
    }

    /// Decompresses a payload that must give exactly `plainLength` bytes.
    func decompress(_ payload: [UInt8], plainLength: Int, object: String?, frame: UInt64) throws -> [UInt8] {
        if self.decompressor == nil {
            guard let context = ZSTD_createDCtx() else { throw Self.failure("cannot set up zstd decompression") }
            self.decompressor = context
        }
        var output = [UInt8](repeating: 0, count: plainLength)
        let size = output.withUnsafeMutableBytes { out in
            payload.withUnsafeBytes { input in
                ZSTD_decompressDCtx(self.decompressor, out.baseAddress, out.count, input.baseAddress, input.count)
            }
        }
        guard ZSTD_isError(size) == 0, size == plainLength else {
            let why = ZSTD_isError(size) != 0 ? String(cString: ZSTD_getErrorName(size)) : "\(size) bytes"
            throw ObjectCodecError(
                .compression,
                "the frame does not decompress to its \(plainLength) bytes (\(why)): the object is damaged",
                object: object,
                frame: frame
            )
        }
        return output
    }

    private static func failure(_ reason: String) -> ObjectCodecError { ObjectCodecError(.compression, reason) }
}
