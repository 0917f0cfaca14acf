/// One column value of a row image, lossless.
///
/// Integers keep their signedness when the binlog says it; DECIMAL keeps its digits; temporal values keep
/// their parts (MySQL allows `0000-00-00`); text keeps its bytes and collation (never repaired into a
/// `String`); JSON is MySQL's binary JSON decoded to a tree.
public enum MySQLValue: Hashable, Sendable {
    case null
    /// An integer column read as signed (also when the binlog does not say: see ``ColumnDescriptor/isUnsigned``).
    case signed(Int64)
    /// An integer column known to be UNSIGNED.
    case unsigned(UInt64)
    case float(Float)
    case double(Double)
    /// DECIMAL as its exact text, e.g. `-123.4500`.
    case decimal(String)
    /// YEAR: 0 or 1901...2155.
    case year(UInt16)
    case date(MySQLDate)
    case time(MySQLTime)
    case datetime(MySQLDateTime)
    /// TIMESTAMP: seconds since the Unix epoch (UTC), fractional part, and the column's precision (0...6).
    case timestamp(seconds: UInt32, microseconds: UInt32, precision: UInt8)
    /// CHAR/VARCHAR/TEXT/BINARY/BLOB bytes with the column's collation when known (63 = binary).
    case string([UInt8], collation: UInt32?)
    /// ENUM: 1-based member index (0 is the empty error value).
    case enumeration(UInt16)
    /// SET: bitmask of members.
    case set(UInt64)
    /// BIT(n): the value's bytes, big-endian, and n.
    case bit([UInt8], bitCount: Int)
    /// JSON, decoded from MySQL's binary format (MariaDB stores JSON as LONGTEXT, so it arrives as `.string`).
    case json(JSONValue)
    /// GEOMETRY: MySQL's internal format (4-byte SRID then WKB).
    case geometry([UInt8])
    /// VECTOR: little-endian float32 values.
    case vector([Float])
}

/// A DATE value (or the date part of a DATETIME); zero parts are allowed.
public struct MySQLDate: Hashable, Sendable {
    public var year: UInt16
    public var month: UInt8
    public var day: UInt8
    public init(year: UInt16, month: UInt8, day: UInt8) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// A TIME value: a signed duration up to ±838:59:59.999999, with the column's precision.
public struct MySQLTime: Hashable, Sendable {
    public var isNegative: Bool
    public var hours: UInt32
    public var minutes: UInt8
    public var seconds: UInt8
    public var microseconds: UInt32
    public var precision: UInt8
    public init(isNegative: Bool, hours: UInt32, minutes: UInt8, seconds: UInt8, microseconds: UInt32, precision: UInt8)
    {
        self.isNegative = isNegative
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
        self.microseconds = microseconds
        self.precision = precision
    }
}

/// A DATETIME value with the column's precision; zero parts are allowed.
public struct MySQLDateTime: Hashable, Sendable {
    public var date: MySQLDate
    public var hour: UInt8
    public var minute: UInt8
    public var second: UInt8
    public var microseconds: UInt32
    public var precision: UInt8
    public init(date: MySQLDate, hour: UInt8, minute: UInt8, second: UInt8, microseconds: UInt32, precision: UInt8) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microseconds = microseconds
        self.precision = precision
    }
}
