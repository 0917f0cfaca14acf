import CZstd
import NIOCore

/// `TRANSACTION_PAYLOAD_EVENT` (40): a whole transaction compressed (`binlog_transaction_compression`).
///
///     ┌──────────────────────────────────────────────────────────────┬─────────────────────────────┐
///     │ fields: type (lenenc), length (lenenc), value — until type 0 │ compressed events (rest)    │
///     │ 1 = payload size, 2 = compression type (0 zstd), 3 = size    │                             │
///     └──────────────────────────────────────────────────────────────┴─────────────────────────────┘
///
/// The inner events are complete events (header and body) without checksum trailers.
public struct TransactionPayloadEvent: Hashable, Sendable {
    /// 0 = ZSTD, 255 = NONE.
    public var compressionType: UInt64
    public var payloadSize: UInt64
    public var uncompressedSize: UInt64
    /// The events inside, decoded with the same context as the file (their positions are offsets inside the
    /// uncompressed payload).
    public var events: [BinlogEventRecord]

    static func decode(from body: inout ByteBuffer, decoder: inout BinlogEventDecoder) throws -> Self {
        var compression: UInt64 = 0
        var payloadSize: UInt64?
        var uncompressed: UInt64?
        while body.readableBytes > 0 {
            let type = try body.readLengthEncodedInteger(field: "payload.field_type") ?? 0
            if type == 0 { break }
            let length = try body.readLengthEncodedLength(field: "payload.field_length")
            var value = try body.readSlice(length: length, field: "payload.field_value")
            switch type {
            case 1: payloadSize = try value.readLengthEncodedInteger(field: "payload_size")
            case 2: compression = try value.readLengthEncodedInteger(field: "compression_type") ?? 0
            case 3: uncompressed = try value.readLengthEncodedInteger(field: "uncompressed_size")
            default: break
            }
        }
        let compressed = body.readSlice(length: body.readableBytes) ?? ByteBuffer()
        if let payloadSize, payloadSize != UInt64(compressed.readableBytes) {
            throw BinlogDecodingError.malformed(
                "payload_size", reason: "says \(payloadSize) bytes, event has \(compressed.readableBytes)")
        }
        var inner: ByteBuffer
        switch compression {
        case 0: inner = try Self.zstdDecompress(compressed, expected: uncompressed)
        case 255: inner = compressed
        default:
            throw BinlogDecodingError(code: .unsupported, reason: "payload compression type \(compression)")
        }
        let total = inner.readableBytes
        var events: [BinlogEventRecord] = []
        while inner.readableBytes > 0 {
            let offset = UInt64(total - inner.readableBytes)
            guard inner.readableBytes >= BinlogEventHeader.v4Length,
                let size = inner.getInteger(at: inner.readerIndex + 9, endianness: .little, as: UInt32.self),
                size >= UInt32(BinlogEventHeader.v4Length), Int(size) <= inner.readableBytes
            else {
                throw BinlogDecodingError(
                    code: .truncated, reason: "inner event at payload offset \(offset) is cut short")
            }
            let eventBytes = try inner.readSlice(length: Int(size), field: "inner_event")
            events.append(try decoder.decode(eventBytes, position: offset, hasChecksum: false))
        }
        return Self(
            compressionType: compression, payloadSize: UInt64(compressed.readableBytes),
            uncompressedSize: UInt64(total), events: events)
    }

    static func zstdDecompress(_ input: ByteBuffer, expected: UInt64?) throws -> ByteBuffer {
        let bytes = Array(input.readableBytesView)
        var frameSize = bytes.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        if frameSize == ZSTD_CONTENTSIZE_ERROR {
            throw BinlogDecodingError(code: .decompression, reason: "payload is not a zstd frame")
        }
        if frameSize == ZSTD_CONTENTSIZE_UNKNOWN { frameSize = expected ?? 0 }
        guard frameSize <= 1 << 31 else {
            throw BinlogDecodingError(code: .decompression, reason: "uncompressed size \(frameSize) is implausible")
        }
        var output = ByteBuffer(repeating: 0, count: Int(frameSize))
        var result = 0
        output.withUnsafeMutableReadableBytes { out in
            bytes.withUnsafeBytes { source in
                result = ZSTD_decompress(out.baseAddress, out.count, source.baseAddress, source.count)
            }
        }
        if ZSTD_isError(result) != 0 {
            let name = String(cString: ZSTD_getErrorName(result))
            throw BinlogDecodingError(code: .decompression, reason: "zstd: \(name)")
        }
        if let expected, UInt64(result) != expected {
            throw BinlogDecodingError(
                code: .decompression, reason: "zstd gave \(result) bytes, payload header says \(expected)")
        }
        return output.getSlice(at: output.readerIndex, length: result) ?? ByteBuffer()
    }
}
