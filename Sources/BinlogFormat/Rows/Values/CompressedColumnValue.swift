import CZlib
import NIOCore

/// The value of a MariaDB `COMPRESSED` column (`VARCHAR_COMPRESSED` 140, `BLOB_COMPRESSED` 141), as
/// `field_comp.cc` stores it after the usual length prefix.
///
///     ┌────────────┬──────────────────────────────┬──────────────────────────────┐
///     │ header (1) │ original length (BE, 1...4)  │ zlib data (rest)             │
///     └────────────┴──────────────────────────────┴──────────────────────────────┘
///     header 0x00: the rest is stored uncompressed (value too short to gain)
///     header bits: 0x80 compressed · 0x70 algorithm (0 = zlib) · 0x08 raw deflate (no zlib wrapper)
///                  · 0x07 number of original-length bytes
///
/// An empty payload (no header byte) is the empty string.
enum CompressedColumnValue {
    /// The decompressed bytes of one value.
    ///
    /// - Throws: ``BinlogDecodingError`` `.malformed` for a bad header, `.unsupported` for an unknown
    ///   algorithm, `.decompression` when zlib fails or the size differs from the header's.
    static func decompress(_ payload: ByteBuffer) throws -> [UInt8] {
        var payload = payload
        guard let header = payload.readInteger(as: UInt8.self) else { return [] }
        if header == 0 { return payload.readBytes(length: payload.readableBytes) ?? [] }
        guard header & 0x80 != 0 else {
            throw BinlogDecodingError.malformed("compressed column header", reason: "header byte \(header)")
        }
        guard header & 0x70 == 0 else {
            throw BinlogDecodingError(
                code: .unsupported,
                reason: "compressed column: algorithm \((header >> 4) & 0x07) is not zlib"
            )
        }
        let lengthByteCount = Int(header & 0x07)
        guard (1...4).contains(lengthByteCount) else {
            throw BinlogDecodingError.malformed(
                "compressed column header",
                reason: "\(lengthByteCount) original-length bytes"
            )
        }
        let originalLength = Int(
            try payload.readBigEndianUInt(byteCount: lengthByteCount, field: "compressed column length")
        )
        // Deflate expands at most about 1032:1; a larger claim is corrupt (and must not make us allocate it).
        guard originalLength <= payload.readableBytes * 1032 + 64 else {
            throw BinlogDecodingError.malformed(
                "compressed column length",
                reason: "\(originalLength) bytes cannot come from \(payload.readableBytes) compressed bytes"
            )
        }
        let isRawDeflate = header & 0x08 != 0
        return try Self.inflate(payload, windowBits: isRawDeflate ? -15 : 15, expectedLength: originalLength)
    }

    private static func inflate(_ input: ByteBuffer, windowBits: Int32, expectedLength: Int) throws -> [UInt8] {
        if expectedLength == 0 { return [] }
        var output = [UInt8](repeating: 0, count: expectedLength)
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw BinlogDecodingError(code: .decompression, reason: "compressed column: zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = input.withUnsafeReadableBytes { source in
            output.withUnsafeMutableBytes { target in
                stream.next_in = UnsafeMutablePointer(
                    mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self)
                )
                stream.avail_in = uInt(truncatingIfNeeded: source.count)
                stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(truncatingIfNeeded: target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedLength else {
            throw BinlogDecodingError(
                code: .decompression,
                reason: "compressed column: zlib status \(status), \(stream.total_out) of \(expectedLength) bytes"
            )
        }
        return output
    }
}
