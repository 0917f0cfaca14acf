import NIOCore

/// `XA_PREPARE_LOG_EVENT` (38): `XA PREPARE` or `XA COMMIT … ONE PHASE` of an XA transaction.
///
///     ┌───────────────┬──────────────┬──────────────────┬──────────────────┬────────────────────┐
///     │ one_phase (1) │ formatID (4) │ gtrid_length (4) │ bqual_length (4) │ gtrid + bqual data │
///     └───────────────┴──────────────┴──────────────────┴──────────────────┴────────────────────┘
public struct XAPrepareEvent: Hashable, Sendable {
    public var isOnePhase: Bool
    public var formatID: Int32
    public var gtrid: [UInt8]
    public var bqual: [UInt8]

    public init(isOnePhase: Bool, formatID: Int32, gtrid: [UInt8], bqual: [UInt8]) {
        self.isOnePhase = isOnePhase
        self.formatID = formatID
        self.gtrid = gtrid
        self.bqual = bqual
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let onePhase = try body.readLittleEndian(UInt8.self, field: "one_phase")
        let formatID = try body.readLittleEndian(Int32.self, field: "format_id")
        let gtridLength = try body.readLittleEndian(UInt32.self, field: "gtrid_length")
        let bqualLength = try body.readLittleEndian(UInt32.self, field: "bqual_length")
        guard gtridLength <= 64, bqualLength <= 64 else {
            throw BinlogDecodingError.malformed("xid", reason: "gtrid \(gtridLength) / bqual \(bqualLength) over 64")
        }
        let gtrid = try body.readBytes(length: Int(gtridLength), field: "gtrid")
        let bqual = try body.readBytes(length: Int(bqualLength), field: "bqual")
        return Self(isOnePhase: onePhase != 0, formatID: formatID, gtrid: gtrid, bqual: bqual)
    }
}
