/// A JSON document decoded from MySQL's binary JSON (`json_binary.h`); see ``JSONBinary``.
///
/// Besides the JSON types, MySQL keeps SQL scalars inside JSON as "opaque" values. DECIMAL and the temporal
/// types are decoded (they print as numbers or strings); any other opaque value keeps its field type and bytes.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
    /// An opaque DECIMAL, as exact text (`123.456`).
    case decimal(String)
    /// An opaque DATE.
    case date(MySQLDate)
    /// An opaque TIME (precision 6, as MySQL prints JSON times).
    case time(MySQLTime)
    /// An opaque DATETIME (precision 6).
    case datetime(MySQLDateTime)
    /// An opaque TIMESTAMP, kept as the wall-clock parts MySQL stored (precision 6).
    case timestamp(MySQLDateTime)
    /// Any other MySQL scalar stored as "opaque": the field type and its raw bytes (e.g. VARCHAR, BLOB, YEAR).
    case opaque(type: ColumnType, bytes: [UInt8])
}
