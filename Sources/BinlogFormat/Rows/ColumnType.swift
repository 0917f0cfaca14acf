/// A column's type code as a TABLE_MAP event stores it (`enum_field_types` in MySQL's `field_types.h`).
///
/// An open set: unknown codes stay representable and are reported by name (`type 201`), not trapped.
public struct ColumnType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `MYSQL_TYPE_DECIMAL` (0), pre-5.0 DECIMAL
    public static let decimal = Self(rawValue: 0)
    /// `MYSQL_TYPE_TINY` (1)
    public static let tiny = Self(rawValue: 1)
    /// `MYSQL_TYPE_SHORT` (2)
    public static let short = Self(rawValue: 2)
    /// `MYSQL_TYPE_LONG` (3)
    public static let long = Self(rawValue: 3)
    /// `MYSQL_TYPE_FLOAT` (4)
    public static let float = Self(rawValue: 4)
    /// `MYSQL_TYPE_DOUBLE` (5)
    public static let double = Self(rawValue: 5)
    /// `MYSQL_TYPE_NULL` (6)
    public static let null = Self(rawValue: 6)
    /// `MYSQL_TYPE_TIMESTAMP` (7), pre-5.6 format
    public static let timestamp = Self(rawValue: 7)
    /// `MYSQL_TYPE_LONGLONG` (8)
    public static let longlong = Self(rawValue: 8)
    /// `MYSQL_TYPE_INT24` (9)
    public static let int24 = Self(rawValue: 9)
    /// `MYSQL_TYPE_DATE` (10)
    public static let date = Self(rawValue: 10)
    /// `MYSQL_TYPE_TIME` (11), pre-5.6 format
    public static let time = Self(rawValue: 11)
    /// `MYSQL_TYPE_DATETIME` (12), pre-5.6 format
    public static let datetime = Self(rawValue: 12)
    /// `MYSQL_TYPE_YEAR` (13)
    public static let year = Self(rawValue: 13)
    /// `MYSQL_TYPE_NEWDATE` (14), internal
    public static let newdate = Self(rawValue: 14)
    /// `MYSQL_TYPE_VARCHAR` (15)
    public static let varchar = Self(rawValue: 15)
    /// `MYSQL_TYPE_BIT` (16)
    public static let bit = Self(rawValue: 16)
    /// `MYSQL_TYPE_TIMESTAMP2` (17), 5.6+ with fractional seconds
    public static let timestamp2 = Self(rawValue: 17)
    /// `MYSQL_TYPE_DATETIME2` (18)
    public static let datetime2 = Self(rawValue: 18)
    /// `MYSQL_TYPE_TIME2` (19)
    public static let time2 = Self(rawValue: 19)
    /// `MYSQL_TYPE_TYPED_ARRAY` (20), only inside replication of multi-valued indexes
    public static let typedArray = Self(rawValue: 20)
    /// MariaDB `MYSQL_TYPE_BLOB_COMPRESSED` (140): BLOB/TEXT `COMPRESSED`; metadata as BLOB
    public static let blobCompressed = Self(rawValue: 140)
    /// MariaDB `MYSQL_TYPE_VARCHAR_COMPRESSED` (141): VARCHAR `COMPRESSED`; metadata as VARCHAR (max length + 1)
    public static let varcharCompressed = Self(rawValue: 141)
    /// `MYSQL_TYPE_VECTOR` (242), MySQL 9.0+
    public static let vector = Self(rawValue: 242)
    /// `MYSQL_TYPE_INVALID` (243)
    public static let invalid = Self(rawValue: 243)
    /// `MYSQL_TYPE_BOOL` (244), never in binlogs
    public static let bool = Self(rawValue: 244)
    /// `MYSQL_TYPE_JSON` (245)
    public static let json = Self(rawValue: 245)
    /// `MYSQL_TYPE_NEWDECIMAL` (246)
    public static let newdecimal = Self(rawValue: 246)
    /// `MYSQL_TYPE_ENUM` (247), in binlogs stored as STRING with the real type in the metadata
    public static let `enum` = Self(rawValue: 247)
    /// `MYSQL_TYPE_SET` (248), like ENUM
    public static let set = Self(rawValue: 248)
    /// `MYSQL_TYPE_TINY_BLOB` (249)
    public static let tinyBlob = Self(rawValue: 249)
    /// `MYSQL_TYPE_MEDIUM_BLOB` (250)
    public static let mediumBlob = Self(rawValue: 250)
    /// `MYSQL_TYPE_LONG_BLOB` (251)
    public static let longBlob = Self(rawValue: 251)
    /// `MYSQL_TYPE_BLOB` (252): every BLOB/TEXT; the metadata says how many length bytes
    public static let blob = Self(rawValue: 252)
    /// `MYSQL_TYPE_VAR_STRING` (253)
    public static let varString = Self(rawValue: 253)
    /// `MYSQL_TYPE_STRING` (254): CHAR/BINARY, and ENUM/SET with the real type in the metadata
    public static let string = Self(rawValue: 254)
    /// `MYSQL_TYPE_GEOMETRY` (255)
    public static let geometry = Self(rawValue: 255)

    public var description: String {
        switch self.rawValue {
        case 0: "DECIMAL(old)"
        case 1: "TINYINT"
        case 2: "SMALLINT"
        case 3: "INT"
        case 4: "FLOAT"
        case 5: "DOUBLE"
        case 6: "NULL"
        case 7: "TIMESTAMP"
        case 8: "BIGINT"
        case 9: "MEDIUMINT"
        case 10: "DATE"
        case 11: "TIME"
        case 12: "DATETIME"
        case 13: "YEAR"
        case 14: "NEWDATE"
        case 15: "VARCHAR"
        case 16: "BIT"
        case 17: "TIMESTAMP2"
        case 18: "DATETIME2"
        case 19: "TIME2"
        case 20: "TYPED_ARRAY"
        case 140: "BLOB(compressed)"
        case 141: "VARCHAR(compressed)"
        case 242: "VECTOR"
        case 245: "JSON"
        case 246: "DECIMAL"
        case 247: "ENUM"
        case 248: "SET"
        case 249: "TINYBLOB"
        case 250: "MEDIUMBLOB"
        case 251: "LONGBLOB"
        case 252: "BLOB"
        case 253: "VAR_STRING"
        case 254: "STRING"
        case 255: "GEOMETRY"
        default: "type \(self.rawValue)"
        }
    }
}
