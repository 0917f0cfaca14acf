/// Type code of a binlog event (`Log_event_type` in MySQL's `binlog_event.h`, plus MariaDB's codes from 160).
///
/// An open set: unknown codes stay representable, so a newer server's event is data, not a crash.
public struct BinlogEventType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `START_EVENT_V3` (1): the first event of a v1/v3 (MySQL 4.x) binlog.
    public static let startV3 = Self(rawValue: 1)
    /// `QUERY_EVENT` (2)
    public static let query = Self(rawValue: 2)
    /// `STOP_EVENT` (3)
    public static let stop = Self(rawValue: 3)
    /// `ROTATE_EVENT` (4)
    public static let rotate = Self(rawValue: 4)
    /// `INTVAR_EVENT` (5)
    public static let intvar = Self(rawValue: 5)
    /// `LOAD_EVENT` (6), pre-5.0
    public static let load = Self(rawValue: 6)
    /// `SLAVE_EVENT` (7), never written
    public static let slave = Self(rawValue: 7)
    /// `CREATE_FILE_EVENT` (8), pre-5.0 LOAD DATA
    public static let createFile = Self(rawValue: 8)
    /// `APPEND_BLOCK_EVENT` (9)
    public static let appendBlock = Self(rawValue: 9)
    /// `EXEC_LOAD_EVENT` (10), pre-5.0
    public static let execLoad = Self(rawValue: 10)
    /// `DELETE_FILE_EVENT` (11)
    public static let deleteFile = Self(rawValue: 11)
    /// `NEW_LOAD_EVENT` (12), pre-5.0
    public static let newLoad = Self(rawValue: 12)
    /// `RAND_EVENT` (13)
    public static let rand = Self(rawValue: 13)
    /// `USER_VAR_EVENT` (14)
    public static let userVar = Self(rawValue: 14)
    /// `FORMAT_DESCRIPTION_EVENT` (15)
    public static let formatDescription = Self(rawValue: 15)
    /// `XID_EVENT` (16)
    public static let xid = Self(rawValue: 16)
    /// `BEGIN_LOAD_QUERY_EVENT` (17)
    public static let beginLoadQuery = Self(rawValue: 17)
    /// `EXECUTE_LOAD_QUERY_EVENT` (18)
    public static let executeLoadQuery = Self(rawValue: 18)
    /// `TABLE_MAP_EVENT` (19)
    public static let tableMap = Self(rawValue: 19)
    /// `PRE_GA_WRITE_ROWS_EVENT` (20), MySQL 5.1.0–5.1.15
    public static let preGAWriteRows = Self(rawValue: 20)
    /// `PRE_GA_UPDATE_ROWS_EVENT` (21)
    public static let preGAUpdateRows = Self(rawValue: 21)
    /// `PRE_GA_DELETE_ROWS_EVENT` (22)
    public static let preGADeleteRows = Self(rawValue: 22)
    /// `WRITE_ROWS_EVENT_V1` (23)
    public static let writeRowsV1 = Self(rawValue: 23)
    /// `UPDATE_ROWS_EVENT_V1` (24)
    public static let updateRowsV1 = Self(rawValue: 24)
    /// `DELETE_ROWS_EVENT_V1` (25)
    public static let deleteRowsV1 = Self(rawValue: 25)
    /// `INCIDENT_EVENT` (26)
    public static let incident = Self(rawValue: 26)
    /// `HEARTBEAT_LOG_EVENT` (27), replication stream only
    public static let heartbeat = Self(rawValue: 27)
    /// `IGNORABLE_LOG_EVENT` (28)
    public static let ignorable = Self(rawValue: 28)
    /// `ROWS_QUERY_LOG_EVENT` (29)
    public static let rowsQuery = Self(rawValue: 29)
    /// `WRITE_ROWS_EVENT` (30), v2
    public static let writeRowsV2 = Self(rawValue: 30)
    /// `UPDATE_ROWS_EVENT` (31), v2
    public static let updateRowsV2 = Self(rawValue: 31)
    /// `DELETE_ROWS_EVENT` (32), v2
    public static let deleteRowsV2 = Self(rawValue: 32)
    /// `GTID_LOG_EVENT` (33)
    public static let gtid = Self(rawValue: 33)
    /// `ANONYMOUS_GTID_LOG_EVENT` (34)
    public static let anonymousGTID = Self(rawValue: 34)
    /// `PREVIOUS_GTIDS_LOG_EVENT` (35)
    public static let previousGTIDs = Self(rawValue: 35)
    /// `TRANSACTION_CONTEXT_EVENT` (36), group replication
    public static let transactionContext = Self(rawValue: 36)
    /// `VIEW_CHANGE_EVENT` (37), group replication
    public static let viewChange = Self(rawValue: 37)
    /// `XA_PREPARE_LOG_EVENT` (38)
    public static let xaPrepare = Self(rawValue: 38)
    /// `PARTIAL_UPDATE_ROWS_EVENT` (39)
    public static let partialUpdateRows = Self(rawValue: 39)
    /// `TRANSACTION_PAYLOAD_EVENT` (40)
    public static let transactionPayload = Self(rawValue: 40)
    /// `HEARTBEAT_LOG_EVENT_V2` (41)
    public static let heartbeatV2 = Self(rawValue: 41)
    /// `GTID_TAGGED_LOG_EVENT` (42), MySQL 8.3+
    public static let gtidTagged = Self(rawValue: 42)
    /// MariaDB `ANNOTATE_ROWS_EVENT` (160)
    public static let mariadbAnnotateRows = Self(rawValue: 160)
    /// MariaDB `BINLOG_CHECKPOINT_EVENT` (161)
    public static let mariadbBinlogCheckpoint = Self(rawValue: 161)
    /// MariaDB `GTID_EVENT` (162)
    public static let mariadbGTID = Self(rawValue: 162)
    /// MariaDB `GTID_LIST_EVENT` (163)
    public static let mariadbGTIDList = Self(rawValue: 163)
    /// MariaDB `START_ENCRYPTION_EVENT` (164)
    public static let mariadbStartEncryption = Self(rawValue: 164)
    /// MariaDB `QUERY_COMPRESSED_EVENT` (165)
    public static let mariadbQueryCompressed = Self(rawValue: 165)
    /// MariaDB `WRITE_ROWS_COMPRESSED_EVENT_V1` (166)
    public static let mariadbWriteRowsCompressedV1 = Self(rawValue: 166)
    /// MariaDB `UPDATE_ROWS_COMPRESSED_EVENT_V1` (167)
    public static let mariadbUpdateRowsCompressedV1 = Self(rawValue: 167)
    /// MariaDB `DELETE_ROWS_COMPRESSED_EVENT_V1` (168)
    public static let mariadbDeleteRowsCompressedV1 = Self(rawValue: 168)
    /// MariaDB `WRITE_ROWS_COMPRESSED_EVENT` (169)
    public static let mariadbWriteRowsCompressed = Self(rawValue: 169)
    /// MariaDB `UPDATE_ROWS_COMPRESSED_EVENT` (170)
    public static let mariadbUpdateRowsCompressed = Self(rawValue: 170)
    /// MariaDB `DELETE_ROWS_COMPRESSED_EVENT` (171)
    public static let mariadbDeleteRowsCompressed = Self(rawValue: 171)
    /// MariaDB `PARTIAL_ROW_DATA_EVENT` (172), 11.x
    public static let mariadbPartialRowData = Self(rawValue: 172)

    /// The name `SHOW BINLOG EVENTS` and `mysqlbinlog` use, or `Unknown(N)`.
    public var name: String {
        switch self.rawValue {
        case 1: "Start_v3"
        case 2: "Query"
        case 3: "Stop"
        case 4: "Rotate"
        case 5: "Intvar"
        case 6: "Load"
        case 7: "Slave"
        case 8: "Create_file"
        case 9: "Append_block"
        case 10: "Exec_load"
        case 11: "Delete_file"
        case 12: "New_load"
        case 13: "RAND"
        case 14: "User var"
        case 15: "Format_desc"
        case 16: "Xid"
        case 17: "Begin_load_query"
        case 18: "Execute_load_query"
        case 19: "Table_map"
        case 20: "Write_rows_v0"
        case 21: "Update_rows_v0"
        case 22: "Delete_rows_v0"
        case 23: "Write_rows_v1"
        case 24: "Update_rows_v1"
        case 25: "Delete_rows_v1"
        case 26: "Incident"
        case 27: "Heartbeat"
        case 28: "Ignorable"
        case 29: "Rows_query"
        case 30: "Write_rows"
        case 31: "Update_rows"
        case 32: "Delete_rows"
        case 33: "Gtid"
        case 34: "Anonymous_Gtid"
        case 35: "Previous_gtids"
        case 36: "Transaction_context"
        case 37: "View_change"
        case 38: "XA_prepare"
        case 39: "Update_rows_partial"
        case 40: "Transaction_payload"
        case 41: "Heartbeat_v2"
        case 42: "Gtid_tagged"
        case 160: "Annotate_rows"
        case 161: "Binlog_checkpoint"
        case 162: "Gtid"
        case 163: "Gtid_list"
        case 164: "Start_encryption"
        case 165: "Query_compressed"
        case 166: "Write_rows_compressed_v1"
        case 167: "Update_rows_compressed_v1"
        case 168: "Delete_rows_compressed_v1"
        case 169: "Write_rows_compressed"
        case 170: "Update_rows_compressed"
        case 171: "Delete_rows_compressed"
        case 172: "Partial_row_data"
        default: "Unknown(\(self.rawValue))"
        }
    }

    public var description: String { self.name }
}
