import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes one complete event (header, body and checksum trailer) at a time, keeping the
/// ``BinlogDecodingContext`` up to date. Files and replication streams both feed it.
public struct BinlogEventDecoder: Sendable {
    /// Changed only by decoding (the table-map cache below relies on it).
    public private(set) var context: BinlogDecodingContext
    /// The body bytes of the last TABLE_MAP per table id. Servers write a TABLE_MAP before every statement's rows,
    /// almost always the same bytes as the last one for that table: those are not decoded again (their optional
    /// metadata costs allocations), and the context's table maps are left as they are (no copy of a dictionary
    /// that handed-out events still share).
    private var tableMapBodies: [UInt64: [UInt8]] = [:]

    public init(context: BinlogDecodingContext = BinlogDecodingContext()) {
        self.context = context
    }

    /// Decodes `bytes`, which hold exactly one event.
    ///
    /// - Parameters:
    ///   - bytes: the whole event, header first.
    ///   - position: its byte offset, for records and errors.
    ///   - hasChecksum: `false` for events inside a transaction payload (they carry no trailer).
    /// - Throws: ``BinlogDecodingError`` with ``BinlogDecodingError/position`` and ``BinlogDecodingError/eventType``.
    public mutating func decode(_ bytes: ByteBuffer, position: UInt64, hasChecksum: Bool = true) throws
        -> BinlogEventRecord
    {
        var buffer = bytes
        let headerLength = Int(self.context.formatDescription.headerLength)
        let header: BinlogEventHeader
        do {
            header = try BinlogEventHeader.decode(from: &buffer, length: headerLength)
        } catch let error as BinlogDecodingError {
            throw error.adding(position: position)
        }
        do {
            return try self.decodeBody(
                bytes, header: header, headerLength: headerLength, position: position, hasChecksum: hasChecksum)
        } catch let error as BinlogDecodingError {
            throw error.adding(eventType: header.type, position: position)
        }
    }

    private mutating func decodeBody(
        _ bytes: ByteBuffer, header: BinlogEventHeader, headerLength: Int, position: UInt64, hasChecksum: Bool
    ) throws -> BinlogEventRecord {
        guard Int(header.eventSize) == bytes.readableBytes else {
            throw BinlogDecodingError(
                code: .malformed, reason: "event_size \(header.eventSize) but \(bytes.readableBytes) bytes given")
        }
        var trailer = 0
        var checksum: UInt32?
        if header.type == .formatDescription {
            var body =
                bytes.getSlice(at: bytes.readerIndex + headerLength, length: bytes.readableBytes - headerLength)
                ?? ByteBuffer()
            let description = try FormatDescriptionEvent.decode(from: &body)
            if description.checksumAlgorithm == .crc32 && hasChecksum {
                checksum = try self.verify(bytes, header: header, force: true)
            }
            self.context.formatDescription = description
            self.context.tableMaps.removeAll(keepingCapacity: true)
            self.tableMapBodies.removeAll(keepingCapacity: true)
            return BinlogEventRecord(
                position: position, header: header, event: .formatDescription(description), checksum: checksum)
        }
        if hasChecksum && self.context.formatDescription.checksumAlgorithm == .crc32 {
            trailer = 4
            checksum = try self.verify(bytes, header: header, force: false)
        }
        let bodyLength = bytes.readableBytes - headerLength - trailer
        guard bodyLength >= 0, var body = bytes.getSlice(at: bytes.readerIndex + headerLength, length: bodyLength)
        else {
            throw BinlogDecodingError(
                code: .truncated, reason: "event of \(bytes.readableBytes) bytes has no room for its body")
        }
        let event = try self.decodeEvent(&body, header: header)
        if body.readableBytes != 0, Self.requiresExactLength(header.type) {
            throw BinlogDecodingError(
                code: .malformed, reason: "\(body.readableBytes) bytes left over after the event body")
        }
        return BinlogEventRecord(position: position, header: header, event: event, checksum: checksum)
    }

    private static func bytes(of buffer: ByteBuffer, equal bytes: [UInt8]) -> Bool {
        guard buffer.readableBytes == bytes.count else { return false }
        return buffer.withUnsafeReadableBytes { raw in
            bytes.withUnsafeBytes { known in memcmp(raw.baseAddress!, known.baseAddress!, known.count) == 0 }
        }
    }

    /// Events whose body this reader consumes to the last byte; for others trailing bytes of a newer
    /// server's extension are tolerated.
    static func requiresExactLength(_ type: BinlogEventType) -> Bool {
        switch type {
        case .tableMap, .rotate, .xid, .intvar, .rand: true
        default: false
        }
    }

    private func verify(_ bytes: ByteBuffer, header: BinlogEventHeader, force: Bool) throws -> UInt32 {
        guard bytes.readableBytes >= BinlogEventHeader.v4Length + 4,
            let stored = bytes.getInteger(
                at: bytes.readerIndex + bytes.readableBytes - 4, endianness: .little, as: UInt32.self)
        else {
            throw BinlogDecodingError(code: .truncated, reason: "no room for the CRC32 trailer")
        }
        guard self.context.verifiesChecksums else { return stored }
        if case .mismatch(_, let computed) = BinlogChecksum.verify(event: bytes) {
            throw BinlogDecodingError(
                code: .badChecksum,
                reason:
                    "stored CRC32 0x\(String(stored, radix: 16)) but the event's bytes give 0x\(String(computed, radix: 16))"
            )
        }
        return stored
    }

    private mutating func decodeEvent(_ body: inout ByteBuffer, header: BinlogEventHeader) throws -> BinlogEvent {
        let description = self.context.formatDescription
        let postHeader = description.postHeaderLength(of: header.type)
        switch header.type {
        case .startV3:
            let event = try StartV3Event.decode(from: &body)
            self.context.formatDescription = .v3(serverVersion: event.serverVersion, created: event.createTimestamp)
            return .startV3(event)
        case .query, .mariadbQueryCompressed:
            return .query(
                try QueryEvent.decode(
                    from: &body, postHeaderLength: postHeader ?? 13, compressed: header.type == .mariadbQueryCompressed)
            )
        case .stop:
            body.moveReaderIndex(forwardBy: body.readableBytes)
            return .stop
        case .rotate: return .rotate(try RotateEvent.decode(from: &body, postHeaderLength: postHeader ?? 8))
        case .intvar: return .intvar(try IntvarEvent.decode(from: &body))
        case .rand: return .rand(try RandEvent.decode(from: &body))
        case .userVar: return .userVar(try UserVarEvent.decode(from: &body))
        case .xid: return .xid(try XIDEvent.decode(from: &body))
        case .tableMap:
            let postHeaderLength = postHeader ?? 8
            if let id = TableMapEvent.tableID(in: body, postHeaderLength: postHeaderLength),
                let known = self.context.tableMaps[id], let knownBody = self.tableMapBodies[id],
                Self.bytes(of: body, equal: knownBody)
            {
                body.moveReaderIndex(forwardBy: body.readableBytes)
                return .tableMap(known)
            }
            let bodyBytes = Array(body.readableBytesView)
            let event = try TableMapEvent.decode(from: &body, postHeaderLength: postHeaderLength)
            self.context.tableMaps[event.tableID] = event
            self.tableMapBodies[event.tableID] = bodyBytes
            return .tableMap(event)
        case .preGAWriteRows, .preGAUpdateRows, .preGADeleteRows:
            body.moveReaderIndex(forwardBy: body.readableBytes)
            return .unsupported(header.type, reason: "pre-GA row events (MySQL 5.1.0–5.1.17) are not decoded")
        case _ where RowsEvent.isRowsEvent(header.type):
            return .rows(try RowsEvent.decode(from: &body, type: header.type, postHeaderLength: postHeader ?? 10))
        case .incident: return .incident(try IncidentEvent.decode(from: &body))
        case .heartbeat: return .heartbeat(try HeartbeatEvent.decode(from: &body, version: 1))
        case .heartbeatV2: return .heartbeat(try HeartbeatEvent.decode(from: &body, version: 2))
        case .ignorable:
            body.moveReaderIndex(forwardBy: body.readableBytes)
            return .ignorable(header.type)
        case .rowsQuery: return .rowsQuery(try RowsQueryEvent.decode(from: &body, isMariaDBAnnotate: false))
        case .gtid, .anonymousGTID:
            return .gtid(try GTIDEvent.decode(from: &body, anonymous: header.type == .anonymousGTID))
        case .gtidTagged: return .gtid(try GTIDEvent.decodeTagged(from: &body))
        case .previousGTIDs: return .previousGTIDs(try PreviousGTIDsEvent.decode(from: &body))
        case .xaPrepare: return .xaPrepare(try XAPrepareEvent.decode(from: &body))
        case .transactionPayload:
            return .transactionPayload(try TransactionPayloadEvent.decode(from: &body, decoder: &self))
        case .beginLoadQuery, .appendBlock, .executeLoadQuery, .createFile, .execLoad, .deleteFile:
            return .loadData(
                try LoadDataEvent.decode(
                    from: &body, type: header.type, postHeaderLength: postHeader ?? 4,
                    queryPostHeaderLength: description.postHeaderLength(of: .query) ?? 13))
        case .load, .newLoad, .slave:
            body.moveReaderIndex(forwardBy: body.readableBytes)
            return .unsupported(header.type, reason: "MySQL 3.23/4.x LOAD events are not decoded")
        case .transactionContext, .viewChange:
            return .groupReplication(header.type, try body.readBytes(length: body.readableBytes, field: "body"))
        case .mariadbAnnotateRows:
            return .mariadbAnnotateRows(try RowsQueryEvent.decode(from: &body, isMariaDBAnnotate: true))
        case .mariadbBinlogCheckpoint:
            return .mariadbBinlogCheckpoint(try MariaDBBinlogCheckpointEvent.decode(from: &body))
        case .mariadbGTID: return .mariadbGTID(try MariaDBGTIDEvent.decode(from: &body, serverID: header.serverID))
        case .mariadbGTIDList: return .mariadbGTIDList(try MariaDBGTIDListEvent.decode(from: &body))
        case .mariadbStartEncryption:
            let event = try MariaDBStartEncryptionEvent.decode(from: &body)
            self.context.isEncrypted = true
            return .mariadbStartEncryption(event)
        default:
            let raw = body.readSlice(length: body.readableBytes) ?? ByteBuffer()
            if header.flags & BinlogEventHeader.flagIgnorable != 0 { return .ignorable(header.type) }
            return .unknown(header.type, raw)
        }
    }
}
