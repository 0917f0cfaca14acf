import NIOCore

/// The status variables of a QUERY event: the session state a statement ran under
/// (`Q_FLAGS2_CODE`, `Q_SQL_MODE_CODE`, `Q_CHARSET_CODE`, `Q_TIME_ZONE_CODE`, …).
///
/// Each is a one-byte code and a code-specific value. A reader that meets a code it does not know cannot
/// know its length, so it stops there and keeps the rest in ``unparsed`` (as `mysqlbinlog` does).
public struct QueryStatusVariables: Hashable, Sendable {
    /// `Q_FLAGS2_CODE` (0): `OPTION_AUTO_IS_NULL`, `OPTION_NOT_AUTOCOMMIT`, `OPTION_NO_FOREIGN_KEY_CHECKS`, …
    public var flags2: UInt32?
    /// `Q_SQL_MODE_CODE` (1)
    public var sqlMode: UInt64?
    /// `Q_CATALOG_CODE` (2) / `Q_CATALOG_NZ_CODE` (6)
    public var catalog: String?
    /// `Q_AUTO_INCREMENT` (3): `auto_increment_increment` and `auto_increment_offset`.
    public var autoIncrement: AutoIncrement?
    /// `Q_CHARSET_CODE` (4): `character_set_client`, `collation_connection`, `collation_server` ids.
    public var charset: Charset?
    /// `Q_TIME_ZONE_CODE` (5)
    public var timeZone: String?
    /// `Q_LC_TIME_NAMES_CODE` (7)
    public var lcTimeNames: UInt16?
    /// `Q_CHARSET_DATABASE_CODE` (8)
    public var databaseCollation: UInt16?
    /// `Q_TABLE_MAP_FOR_UPDATE_CODE` (9)
    public var tableMapForUpdate: UInt64?
    /// `Q_MASTER_DATA_WRITTEN_CODE` (10)
    public var masterDataWritten: UInt32?
    /// `Q_INVOKER` (11): the definer of a stored routine.
    public var invoker: Invoker?
    /// `Q_UPDATED_DB_NAMES` (12): databases a statement changed (`nil` when over the limit).
    public var updatedDatabases: [String]?
    /// `Q_MICROSECONDS` (13): microseconds of the statement's start time.
    public var microseconds: UInt32?
    /// `Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP` (16)
    public var explicitDefaultsForTimestamp: Bool?
    /// `Q_DDL_LOGGED_WITH_XID` (17): an atomic DDL's XID.
    public var ddlXID: UInt64?
    /// `Q_DEFAULT_COLLATION_FOR_UTF8MB4` (18)
    public var defaultCollationForUTF8MB4: UInt16?
    /// `Q_SQL_REQUIRE_PRIMARY_KEY` (19)
    public var sqlRequirePrimaryKey: UInt8?
    /// `Q_DEFAULT_TABLE_ENCRYPTION` (20)
    public var defaultTableEncryption: UInt8?
    /// MariaDB `Q_HRNOW` (128): microseconds of the start time.
    public var mariadbHighResolutionNow: UInt32?
    /// MariaDB `Q_XID` (129)
    public var mariadbXID: UInt64?
    /// MariaDB `Q_GTID_FLAGS3` (130)
    public var mariadbGTIDFlags3: UInt8?
    /// Bytes from the first code this reader does not know on, and that code.
    public var unparsed: [UInt8]?

    /// `Q_CHARSET_CODE` values: collation ids.
    public struct Charset: Hashable, Sendable {
        public var client: UInt16
        public var connection: UInt16
        public var server: UInt16
    }

    /// `Q_AUTO_INCREMENT` values.
    public struct AutoIncrement: Hashable, Sendable {
        public var increment: UInt16
        public var offset: UInt16
    }

    /// `Q_INVOKER` values.
    public struct Invoker: Hashable, Sendable {
        public var user: String
        public var host: String
    }

    public init() {}

    static func decode(from buffer: inout ByteBuffer) throws -> Self {
        var status = Self()
        while buffer.readableBytes > 0 {
            let start = buffer.readerIndex
            let code = try buffer.readLittleEndian(UInt8.self, field: "status.code")
            switch code {
            case 0: status.flags2 = try buffer.readLittleEndian(UInt32.self, field: "Q_FLAGS2_CODE")
            case 1: status.sqlMode = try buffer.readLittleEndian(UInt64.self, field: "Q_SQL_MODE_CODE")
            case 2:
                status.catalog = try buffer.readLengthPrefixedUTF8(field: "Q_CATALOG_CODE")
                try buffer.skip(1, field: "Q_CATALOG_CODE.nul")
            case 3:
                let increment = try buffer.readLittleEndian(UInt16.self, field: "Q_AUTO_INCREMENT")
                let offset = try buffer.readLittleEndian(UInt16.self, field: "Q_AUTO_INCREMENT")
                status.autoIncrement = AutoIncrement(increment: increment, offset: offset)
            case 4:
                status.charset = Charset(
                    client: try buffer.readLittleEndian(UInt16.self, field: "Q_CHARSET_CODE"),
                    connection: try buffer.readLittleEndian(UInt16.self, field: "Q_CHARSET_CODE"),
                    server: try buffer.readLittleEndian(UInt16.self, field: "Q_CHARSET_CODE"))
            case 5: status.timeZone = try buffer.readLengthPrefixedUTF8(field: "Q_TIME_ZONE_CODE")
            case 6: status.catalog = try buffer.readLengthPrefixedUTF8(field: "Q_CATALOG_NZ_CODE")
            case 7: status.lcTimeNames = try buffer.readLittleEndian(UInt16.self, field: "Q_LC_TIME_NAMES_CODE")
            case 8:
                status.databaseCollation = try buffer.readLittleEndian(UInt16.self, field: "Q_CHARSET_DATABASE_CODE")
            case 9:
                status.tableMapForUpdate = try buffer.readLittleEndian(UInt64.self, field: "Q_TABLE_MAP_FOR_UPDATE")
            case 10:
                status.masterDataWritten = try buffer.readLittleEndian(UInt32.self, field: "Q_MASTER_DATA_WRITTEN")
            case 11:
                let user = try buffer.readLengthPrefixedUTF8(field: "Q_INVOKER.user")
                let host = try buffer.readLengthPrefixedUTF8(field: "Q_INVOKER.host")
                status.invoker = Invoker(user: user, host: host)
            case 12:
                let count = try buffer.readLittleEndian(UInt8.self, field: "Q_UPDATED_DB_NAMES")
                if count == 254 {  // OVER_MAX_DBS_IN_EVENT_MTS
                    status.updatedDatabases = nil
                } else {
                    var names: [String] = []
                    for _ in 0..<count {
                        guard let end = buffer.readableBytesView.firstIndex(of: 0) else {
                            throw BinlogDecodingError.malformed("Q_UPDATED_DB_NAMES", reason: "name has no NUL")
                        }
                        names.append(
                            try buffer.readUTF8String(length: end - buffer.readerIndex, field: "Q_UPDATED_DB_NAMES"))
                        try buffer.skip(1, field: "Q_UPDATED_DB_NAMES.nul")
                    }
                    status.updatedDatabases = names
                }
            case 13:
                status.microseconds = UInt32(try buffer.readLittleEndianUInt(byteCount: 3, field: "Q_MICROSECONDS"))
            case 14, 15:  // Q_COMMIT_TS, Q_COMMIT_TS2: never written by a released server
                buffer.moveReaderIndex(to: start)
                status.unparsed = Array(buffer.readableBytesView)
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            case 16:
                status.explicitDefaultsForTimestamp =
                    try buffer.readLittleEndian(UInt8.self, field: "Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP") != 0
            case 17: status.ddlXID = try buffer.readLittleEndian(UInt64.self, field: "Q_DDL_LOGGED_WITH_XID")
            case 18:
                status.defaultCollationForUTF8MB4 =
                    try buffer.readLittleEndian(UInt16.self, field: "Q_DEFAULT_COLLATION_FOR_UTF8MB4")
            case 19:
                status.sqlRequirePrimaryKey = try buffer.readLittleEndian(
                    UInt8.self, field: "Q_SQL_REQUIRE_PRIMARY_KEY")
            case 20:
                status.defaultTableEncryption =
                    try buffer.readLittleEndian(UInt8.self, field: "Q_DEFAULT_TABLE_ENCRYPTION")
            case 128:
                status.mariadbHighResolutionNow = UInt32(
                    try buffer.readLittleEndianUInt(byteCount: 3, field: "Q_HRNOW"))
            case 129: status.mariadbXID = try buffer.readLittleEndian(UInt64.self, field: "Q_XID")
            case 130: status.mariadbGTIDFlags3 = try buffer.readLittleEndian(UInt8.self, field: "Q_GTID_FLAGS3")
            default:
                buffer.moveReaderIndex(to: start)
                status.unparsed = Array(buffer.readableBytesView)
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            }
        }
        return status
    }
}
