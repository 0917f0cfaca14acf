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

    /// Largest uncompressed transaction accepted (MySQL caps a transaction at `max_binlog_cache_size`; 4 GiB
    /// by default, but 1 GiB is already far past what a replica can apply).
    static let maximumUncompressedSize = 1 << 30

    /// Streaming zstd decompression: the output grows with what the frame really holds, so a corrupt size
    /// field cannot make the reader allocate gigabytes up front.
    static func zstdDecompress(_ input: ByteBuffer, expected: UInt64?) throws -> ByteBuffer {
        guard let stream = ZSTD_createDStream() else {
            throw BinlogDecodingError(code: .decompression, reason: "zstd: cannot create a decompression stream")
        }
        defer { ZSTD_freeDStream(stream) }
        let bytes = Array(input.readableBytesView)
        var output = ByteBuffer()
        if let expected, expected <= UInt64(min(Self.maximumUncompressedSize, 64 << 20)) {
            output.reserveCapacity(Int(expected))
        }
        let chunk = 1 << 16
        var finished = false
        try bytes.withUnsafeBytes { source in
            var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
            while true {
                var status = 0
                let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { target in
                    var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: 0)
                    status = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                    return outBuffer.pos
                }
                if ZSTD_isError(status) != 0 {
                    throw BinlogDecodingError(
                        code: .decompression, reason: "zstd: \(String(cString: ZSTD_getErrorName(status)))")
                }
                if output.readableBytes > Self.maximumUncompressedSize {
                    throw BinlogDecodingError(
                        code: .decompression, reason: "payload inflates past \(Self.maximumUncompressedSize) bytes")
                }
                if status == 0 {
                    finished = true
                    break
                }
                if inBuffer.pos == inBuffer.size && written == 0 { break }
            }
        }
        guard finished else {
            throw BinlogDecodingError(code: .decompression, reason: "zstd frame is cut short")
        }
        if let expected, UInt64(output.readableBytes) != expected {
            throw BinlogDecodingError(
                code: .decompression,
                reason: "zstd gave \(output.readableBytes) bytes, payload header says \(expected)")
        }
        return output
    }
}
