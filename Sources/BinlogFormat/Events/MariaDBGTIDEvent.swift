import NIOCore

/// MariaDB `GTID_EVENT` (162): starts an event group (a transaction or a DDL) and names it
/// `domain-server-sequence`, the server id being the event header's.
///
///     ┌──────────────┬───────────────┬───────────┬─────────────────────────────────────────────────────────┐
///     │ sequence (8) │ domain_id (4) │ flags (1) │ commit_id (8) if FL_GROUP_COMMIT_ID, or XID if XA,      │
///     │              │               │           │ else 6 zero bytes; (10.x) flags_extra (1) and its fields│
///     └──────────────┴───────────────┴───────────┴─────────────────────────────────────────────────────────┘
public struct MariaDBGTIDEvent: Hashable, Sendable {
    public var sequence: UInt64
    public var domainID: UInt32
    public var serverID: UInt32
    public var flags: UInt8
    public var commitID: UInt64?
    /// The XID of an XA transaction (`FL_PREPARED_XA`/`FL_COMPLETED_XA`).
    public var xid: XID?
    public var extraFlags: UInt8?

    /// An XA transaction id.
    public struct XID: Hashable, Sendable {
        public var formatID: UInt32
        public var gtrid: [UInt8]
        public var bqual: [UInt8]
    }

    /// `FL_STANDALONE` (1): no terminating COMMIT/XID (a DDL).
    public static let flagStandalone: UInt8 = 1
    /// `FL_GROUP_COMMIT_ID` (2)
    public static let flagGroupCommitID: UInt8 = 2
    /// `FL_TRANSACTIONAL` (4)
    public static let flagTransactional: UInt8 = 4
    /// `FL_PREPARED_XA` (64)
    public static let flagPreparedXA: UInt8 = 64
    /// `FL_COMPLETED_XA` (128)
    public static let flagCompletedXA: UInt8 = 128

    public var gtid: GTID { .mariadb(domain: self.domainID, server: self.serverID, sequence: self.sequence) }
    public var isStandalone: Bool { self.flags & Self.flagStandalone != 0 }

    static func decode(from body: inout ByteBuffer, serverID: UInt32) throws -> Self {
        let sequence = try body.readLittleEndian(UInt64.self, field: "seq_no")
        let domain = try body.readLittleEndian(UInt32.self, field: "domain_id")
        let flags = try body.readLittleEndian(UInt8.self, field: "flags2")
        var event = Self(sequence: sequence, domainID: domain, serverID: serverID, flags: flags)
        if flags & Self.flagGroupCommitID != 0 {
            event.commitID = try body.readLittleEndian(UInt64.self, field: "commit_id")
        } else if flags & (Self.flagPreparedXA | Self.flagCompletedXA) != 0 {
            let formatID = try body.readLittleEndian(UInt32.self, field: "xid.format_id")
            let gtridLength = Int(try body.readLittleEndian(UInt8.self, field: "xid.gtrid_length"))
            let bqualLength = Int(try body.readLittleEndian(UInt8.self, field: "xid.bqual_length"))
            guard gtridLength + bqualLength <= 128 else {
                throw BinlogDecodingError.malformed("xid", reason: "gtrid \(gtridLength) + bqual \(bqualLength) > 128")
            }
            let gtrid = try body.readBytes(length: gtridLength, field: "xid.gtrid")
            let bqual = try body.readBytes(length: bqualLength, field: "xid.bqual")
            event.xid = XID(formatID: formatID, gtrid: gtrid, bqual: bqual)
        } else {
            try body.skip(min(6, body.readableBytes), field: "padding")
        }
        if body.readableBytes > 0 {
            event.extraFlags = try body.readLittleEndian(UInt8.self, field: "flags_extra")
        }
        try body.skip(body.readableBytes, field: "rest")  // extra-flag fields (multi-engine, ALTER seq) not needed
        return event
    }
}
