import NIOCore

/// `GTID_LOG_EVENT` (33), `ANONYMOUS_GTID_LOG_EVENT` (34) and `GTID_TAGGED_LOG_EVENT` (42): the first event of a
/// MySQL transaction, naming it and carrying its commit timestamps and length.
///
///     untagged: ┌──────────┬──────────┬─────────┬──────────────┬────────────────────┬─────────────────────┐
///               │ flags (1)│ sid (16) │ gno (8) │ lt_type (1)  │ last_committed (8) │ sequence_number (8) │
///               └──────────┴──────────┴─────────┴──────────────┴────────────────────┴─────────────────────┘
///               then (8.0.1+): immediate commit ts (7, bit 55 = original follows) [original ts (7)],
///               transaction length (length-encoded), immediate server version (4, bit 31 = original follows)
///               [original server version (4)], (8.0.33+) commit group ticket (8)
///     tagged:   serialization version (1), then a serialization-library message of numbered fields.
public struct GTIDEvent: Hashable, Sendable {
    public var flags: UInt8
    public var uuid: UUID16
    public var tag: String?
    /// Transaction number; 0 for an anonymous transaction.
    public var sequence: UInt64
    public var isAnonymous: Bool
    public var lastCommitted: Int64?
    public var sequenceNumber: Int64?
    /// Microseconds since the epoch of the commit on the nearest source (MySQL 8.0.1+).
    public var immediateCommitTimestamp: UInt64?
    /// Microseconds since the epoch of the commit on the originating source.
    public var originalCommitTimestamp: UInt64?
    /// Bytes of the whole transaction, this event included (MySQL 8.0.2+).
    public var transactionLength: UInt64?
    public var immediateServerVersion: UInt32?
    public var originalServerVersion: UInt32?
    public var commitGroupTicket: UInt64?

    public init(flags: UInt8, uuid: UUID16, tag: String? = nil, sequence: UInt64, isAnonymous: Bool) {
        self.flags = flags
        self.uuid = uuid
        self.tag = tag
        self.sequence = sequence
        self.isAnonymous = isAnonymous
    }

    /// The GTID, or `nil` for an anonymous transaction.
    public var gtid: GTID? {
        self.isAnonymous ? nil : .mysql(uuid: self.uuid, tag: self.tag, sequence: self.sequence)
    }

    static func decode(from body: inout ByteBuffer, anonymous: Bool) throws -> Self {
        let flags = try body.readLittleEndian(UInt8.self, field: "flags")
        let uuid = UUID16(bytes: try body.readBytes(length: 16, field: "sid"))
        let gno = try body.readLittleEndian(UInt64.self, field: "gno")
        var event = Self(flags: flags, uuid: uuid, sequence: gno, isAnonymous: anonymous)
        guard body.readableBytes > 0 else { return event }  // MySQL 5.6
        let typeCode = try body.readLittleEndian(UInt8.self, field: "lt_type")
        guard typeCode == 2 else {
            try body.skip(body.readableBytes, field: "rest")  // ≤ 5.7.4 wrote another layout
            return event
        }
        event.lastCommitted = try body.readLittleEndian(Int64.self, field: "last_committed")
        event.sequenceNumber = try body.readLittleEndian(Int64.self, field: "sequence_number")
        if body.readableBytes >= 7 {
            var immediate = try body.readLittleEndianUInt(byteCount: 7, field: "immediate_commit_timestamp")
            var original = immediate
            if immediate & (1 << 55) != 0 {
                immediate &= ~(1 << 55)
                original = try body.readLittleEndianUInt(byteCount: 7, field: "original_commit_timestamp")
            }
            event.immediateCommitTimestamp = immediate
            event.originalCommitTimestamp = original
        }
        if body.readableBytes > 0 {
            event.transactionLength = try body.readLengthEncodedInteger(field: "transaction_length")
        }
        if body.readableBytes >= 4 {
            var immediate = try body.readLittleEndian(UInt32.self, field: "immediate_server_version")
            var original = immediate
            if immediate & (1 << 31) != 0 {
                immediate &= ~(1 << 31)
                original = try body.readLittleEndian(UInt32.self, field: "original_server_version")
            }
            event.immediateServerVersion = immediate
            event.originalServerVersion = original
        }
        if body.readableBytes >= 8 {
            event.commitGroupTicket = try body.readLittleEndian(UInt64.self, field: "commit_group_ticket")
        }
        try body.skip(body.readableBytes, field: "rest")
        return event
    }

    /// Field numbers of the tagged event's serialization-library message.
    private enum TaggedField: UInt64 {
        case flags = 0
        case sid, gno, tag, lastCommitted, sequenceNumber, immediateCommitTimestamp,
            originalCommitTimestamp, transactionLength, immediateServerVersion, originalServerVersion,
            commitGroupTicket
    }

    static func decodeTagged(from body: inout ByteBuffer) throws -> Self {
        let start = body.readerIndex
        let version = try body.readLittleEndian(UInt8.self, field: "serialization_version")
        guard version >= 1 else {
            throw BinlogDecodingError(code: .unsupported, reason: "tagged GTID serialization version \(version)")
        }
        let payloadSize = try body.readSerializedVarlenUInt(field: "payload_size")
        let lastNonIgnorable = try body.readSerializedVarlenUInt(field: "last_non_ignorable_field_id")
        let consumed = UInt64(body.readerIndex - start)
        guard payloadSize >= consumed, payloadSize - consumed <= UInt64(body.readableBytes) else {
            throw BinlogDecodingError.malformed("payload_size", reason: "\(payloadSize) does not fit the event")
        }
        var fields = try body.readSlice(length: Int(payloadSize - consumed), field: "fields")
        var event = Self(
            flags: 0, uuid: UUID16(bytes: [UInt8](repeating: 0, count: 16)), sequence: 0, isAnonymous: false)
        var sawOriginalTimestamp = false
        var sawOriginalVersion = false
        while fields.readableBytes > 0 {
            let id = try fields.readSerializedVarlenUInt(field: "field_id")
            guard let field = TaggedField(rawValue: id) else {
                if id <= lastNonIgnorable {
                    throw BinlogDecodingError(
                        code: .unsupported, reason: "unknown non-ignorable field \(id) in tagged GTID")
                }
                break  // an ignorable field of a newer server; its size is unknown, so stop here
            }
            switch field {
            case .flags:
                event.flags = UInt8(truncatingIfNeeded: try fields.readSerializedVarlenUInt(field: "gtid_flags"))
            case .sid:
                var bytes: [UInt8] = []
                for _ in 0..<16 {
                    let value = try fields.readSerializedVarlenUInt(field: "sid")
                    guard value <= 0xFF else {
                        throw BinlogDecodingError.malformed("sid", reason: "byte \(value) > 255")
                    }
                    bytes.append(UInt8(value))
                }
                event.uuid = UUID16(bytes: bytes)
            case .gno: event.sequence = UInt64(clamping: try fields.readSerializedVarlenInt(field: "gno"))
            case .tag:
                let length = Int(clamping: try fields.readSerializedVarlenUInt(field: "tag.length"))
                event.tag = try fields.readUTF8String(length: length, field: "tag")
            case .lastCommitted: event.lastCommitted = try fields.readSerializedVarlenInt(field: "last_committed")
            case .sequenceNumber: event.sequenceNumber = try fields.readSerializedVarlenInt(field: "sequence_number")
            case .immediateCommitTimestamp:
                event.immediateCommitTimestamp = try fields.readSerializedVarlenUInt(
                    field: "immediate_commit_timestamp")
            case .originalCommitTimestamp:
                event.originalCommitTimestamp = try fields.readSerializedVarlenUInt(field: "original_commit_timestamp")
                sawOriginalTimestamp = true
            case .transactionLength:
                event.transactionLength = try fields.readSerializedVarlenUInt(field: "transaction_length")
            case .immediateServerVersion:
                event.immediateServerVersion = UInt32(
                    truncatingIfNeeded: try fields.readSerializedVarlenUInt(field: "immediate_server_version"))
            case .originalServerVersion:
                event.originalServerVersion = UInt32(
                    truncatingIfNeeded: try fields.readSerializedVarlenUInt(field: "original_server_version"))
                sawOriginalVersion = true
            case .commitGroupTicket:
                event.commitGroupTicket = try fields.readSerializedVarlenUInt(field: "commit_group_ticket")
            }
        }
        if !sawOriginalTimestamp { event.originalCommitTimestamp = event.immediateCommitTimestamp }
        if !sawOriginalVersion { event.originalServerVersion = event.immediateServerVersion }
        try body.skip(body.readableBytes, field: "rest")
        return event
    }
}
