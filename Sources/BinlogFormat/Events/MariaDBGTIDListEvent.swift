import NIOCore

/// MariaDB `GTID_LIST_EVENT` (163): at the start of each binlog, the last GTID of every replication domain
/// so far (the binlog state). A reader orders a chain of files by it.
///
///     ┌─────────────────────────────────┬────────────────────────────────────────────────────────────┐
///     │ count (4; top 4 bits are flags) │ count × (domain_id (4), server_id (4), sequence (8))       │
///     └─────────────────────────────────┴────────────────────────────────────────────────────────────┘
public struct MariaDBGTIDListEvent: Hashable, Sendable {
    public var gtids: [GTID]
    public var flags: UInt8

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let raw = try body.readLittleEndian(UInt32.self, field: "count")
        let count = Int(raw & 0x0FFF_FFFF)
        guard count <= body.readableBytes / 16 else {
            throw BinlogDecodingError.malformed(
                "count", reason: "\(count) GTIDs cannot fit in \(body.readableBytes) bytes")
        }
        var gtids: [GTID] = []
        gtids.reserveCapacity(count)
        for _ in 0..<count {
            let domain = try body.readLittleEndian(UInt32.self, field: "domain_id")
            let server = try body.readLittleEndian(UInt32.self, field: "server_id")
            let sequence = try body.readLittleEndian(UInt64.self, field: "seq_no")
            gtids.append(.mariadb(domain: domain, server: server, sequence: sequence))
        }
        return Self(gtids: gtids, flags: UInt8(raw >> 28))
    }
}
