import NIOCore

/// A decoded binlog event. Every type this reader knows has a typed case; a type it does not know stays data
/// (``unknown(_:_:)``), and an old format it does not decode is named (``unsupported(_:reason:)``).
public enum BinlogEvent: Hashable, Sendable {
    case formatDescription(FormatDescriptionEvent)
    case startV3(StartV3Event)
    case query(QueryEvent)
    case stop
    case rotate(RotateEvent)
    case intvar(IntvarEvent)
    case rand(RandEvent)
    case userVar(UserVarEvent)
    case xid(XIDEvent)
    case tableMap(TableMapEvent)
    case rows(RowsEvent)
    case incident(IncidentEvent)
    case heartbeat(HeartbeatEvent)
    /// `IGNORABLE_LOG_EVENT` (28), or any event flagged `LOG_EVENT_IGNORABLE_F` whose type is not known.
    case ignorable(BinlogEventType)
    case rowsQuery(RowsQueryEvent)
    case gtid(GTIDEvent)
    case previousGTIDs(PreviousGTIDsEvent)
    case xaPrepare(XAPrepareEvent)
    case transactionPayload(TransactionPayloadEvent)
    case loadData(LoadDataEvent)
    /// Group replication's `TRANSACTION_CONTEXT` (36) and `VIEW_CHANGE` (37), kept raw.
    case groupReplication(BinlogEventType, [UInt8])
    case mariadbAnnotateRows(RowsQueryEvent)
    case mariadbBinlogCheckpoint(MariaDBBinlogCheckpointEvent)
    case mariadbGTID(MariaDBGTIDEvent)
    case mariadbGTIDList(MariaDBGTIDListEvent)
    case mariadbStartEncryption(MariaDBStartEncryptionEvent)
    /// A known but obsolete format this reader does not decode (MySQL 4.x LOAD, 5.1 pre-GA rows).
    case unsupported(BinlogEventType, reason: String)
    case unknown(BinlogEventType, ByteBuffer)
}

/// One event as read from a file or a stream: where it starts, its header, its decoded body.
public struct BinlogEventRecord: Hashable, Sendable {
    /// Byte offset of the event's first header byte (in its file, or inside a transaction payload).
    public var position: UInt64
    public var header: BinlogEventHeader
    public var event: BinlogEvent
    /// The CRC32 trailer, when the binlog has checksums.
    public var checksum: UInt32?

    public init(position: UInt64, header: BinlogEventHeader, event: BinlogEvent, checksum: UInt32?) {
        self.position = position
        self.header = header
        self.event = event
        self.checksum = checksum
    }

    /// Where the next event starts: the header's `log_pos`, or position + size when that is 0 (relay logs).
    public var endPosition: UInt64 {
        self.header.nextPosition != 0 ? UInt64(self.header.nextPosition) : self.position + UInt64(self.header.eventSize)
    }
}
