/// A JSON document decoded from MySQL's binary JSON (`json_binary.h`). Placeholder shape; see Values/JSONBinary.swift.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
    /// A MySQL scalar stored as "opaque": the field type and its raw bytes (DATE, TIME, DATETIME, DECIMAL, …).
    case opaque(type: ColumnType, bytes: [UInt8])
}

/// One key/value pair of a JSON object, in stored order.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSONValue
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
