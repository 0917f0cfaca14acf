import NIOCore

/// `PREVIOUS_GTIDS_LOG_EVENT` (35): the GTIDs of all transactions in earlier binlog files (`Gtid_set::encode`).
///
///     ┌─────────────────────────────────────┬───────────────────────────────────────────────────────────────┐
///     │ n_sids (8; top byte = format,       │ per source: uuid (16) [tag: varlen length + bytes, if tagged] │
///     │   1 = tagged: n_sids in bits 8–55)  │ n_intervals (8), then (start (8), end (8)) half-open          │
///     └─────────────────────────────────────┴───────────────────────────────────────────────────────────────┘
public struct PreviousGTIDsEvent: Hashable, Sendable {
    public var gtids: GTIDSet

    public init(gtids: GTIDSet) { self.gtids = gtids }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let header = try body.readLittleEndian(UInt64.self, field: "n_sids")
        let isTagged = header >> 56 == 1
        let count = isTagged ? (header >> 8) & 0xFFFF_FFFF_FFFF : header & 0x00FF_FFFF_FFFF_FFFF
        guard count <= UInt64(body.readableBytes / 24) else {
            throw BinlogDecodingError.malformed(
                "n_sids", reason: "\(count) sources cannot fit in \(body.readableBytes) bytes")
        }
        var set = GTIDSet()
        for _ in 0..<count {
            let uuid = UUID16(bytes: try body.readBytes(length: 16, field: "sid"))
            var tag: String?
            if isTagged {
                let length = Int(clamping: try body.readSerializedVarlenUInt(field: "tag.length"))
                if length > 0 { tag = try body.readUTF8String(length: length, field: "tag") }
            }
            let intervals = try body.readLittleEndian(UInt64.self, field: "n_intervals")
            guard intervals <= UInt64(body.readableBytes / 16) else {
                throw BinlogDecodingError.malformed("n_intervals", reason: "\(intervals) intervals cannot fit")
            }
            for _ in 0..<intervals {
                let start = try body.readLittleEndian(UInt64.self, field: "interval.start")
                let end = try body.readLittleEndian(UInt64.self, field: "interval.end")
                guard start <= end else {
                    throw BinlogDecodingError.malformed("interval", reason: "start \(start) > end \(end)")
                }
                set.insert(GTIDSet.SourceKey(uuid: uuid, tag: tag), start..<end)
            }
        }
        return Self(gtids: set)
    }
}
