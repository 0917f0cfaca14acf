import CZlib
import NIOCore

/// MariaDB's compressed binlog payloads (`log_bin_compress`): QUERY_COMPRESSED text and compressed row data.
///
///     ┌────────────────────────────────┬────────────────────────────────┬───────────────────────┐
///     │ 0x80 | length-of-length (1)    │ uncompressed length (1–4, BE)  │ zlib stream (rest)    │
///     └────────────────────────────────┴────────────────────────────────┴───────────────────────┘
enum MariaDBCompression {
    static func inflate(_ buffer: inout ByteBuffer, field: StaticString) throws -> [UInt8] {
        let header = try buffer.readLittleEndian(UInt8.self, field: field)
        let lengthBytes = Int(header & 0x07)
        guard header & 0x80 != 0, (1...4).contains(lengthBytes) else {
            throw BinlogDecodingError(
                code: .decompression, reason: "\(field): bad compression header 0x\(String(header, radix: 16))")
        }
        let expected = Int(try buffer.readBigEndianUInt(byteCount: lengthBytes, field: field))
        let input = Array(buffer.readableBytesView)
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return try Zlib.inflate(input, expectedLength: expected, field: field)
    }
}

/// zlib `uncompress` with a known output size.
enum Zlib {
    static func inflate(_ input: [UInt8], expectedLength: Int, field: StaticString) throws -> [UInt8] {
        // deflate cannot shrink data more than about 1032:1, so a larger claim is a corrupt header.
        guard expectedLength >= 0, expectedLength <= 1 << 30, expectedLength <= input.count * 1100 + 64 else {
            throw BinlogDecodingError(
                code: .decompression, reason: "\(field): uncompressed length \(expectedLength) is implausible")
        }
        var output = [UInt8](repeating: 0, count: expectedLength)
        var outputLength = uLongf(expectedLength)
        let status = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { source in
                uncompress(
                    out.baseAddress?.assumingMemoryBound(to: Bytef.self), &outputLength,
                    source.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(input.count))
            }
        }
        guard status == Z_OK, Int(outputLength) == expectedLength else {
            throw BinlogDecodingError(
                code: .decompression,
                reason: "\(field): zlib status \(status), got \(outputLength) of \(expectedLength) bytes")
        }
        return output
    }
}
