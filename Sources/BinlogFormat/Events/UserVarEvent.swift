import NIOCore

/// `USER_VAR_EVENT` (14): a user variable (`@name`) that the next statement-based query uses.
///
///     ┌──────────────┬──────┬─────────────┬──────────┬─────────────┬───────────────┬───────┬───────────┐
///     │ name len (4) │ name │ is_null (1) │ type (1) │ charset (4) │ value len (4) │ value │ flags (1)?│
///     └──────────────┴──────┴─────────────┴──────────┴─────────────┴───────────────┴───────┴───────────┘
public struct UserVarEvent: Hashable, Sendable {
    public var name: [UInt8]
    /// `nil` when the variable is NULL.
    public var value: Value?

    /// The typed value (`Item_result` in MySQL).
    public enum Value: Hashable, Sendable {
        case string([UInt8], collation: UInt32)
        case real(Double)
        case integer(Int64, isUnsigned: Bool)
        /// DECIMAL, as text.
        case decimal(String)
        /// A type code this reader does not know, with its raw bytes.
        case other(type: UInt8, bytes: [UInt8])
    }

    public init(name: [UInt8], value: Value?) {
        self.name = name
        self.value = value
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let nameLength = Int(try body.readLittleEndian(UInt32.self, field: "name_length"))
        let name = try body.readBytes(length: nameLength, field: "name")
        let isNull = try body.readLittleEndian(UInt8.self, field: "is_null")
        if isNull != 0 {
            try body.skip(body.readableBytes, field: "rest")
            return Self(name: name, value: nil)
        }
        let type = try body.readLittleEndian(UInt8.self, field: "type")
        let collation = try body.readLittleEndian(UInt32.self, field: "charset")
        let length = Int(try body.readLittleEndian(UInt32.self, field: "value_length"))
        var valueBytes = try body.readSlice(length: length, field: "value")
        var flags: UInt8 = 0
        if body.readableBytes > 0 { flags = try body.readLittleEndian(UInt8.self, field: "flags") }
        try body.skip(body.readableBytes, field: "rest")
        let value: Value
        switch type {
        case 0:  // STRING_RESULT
            value = .string(Array(valueBytes.readableBytesView), collation: collation)
        case 1:  // REAL_RESULT
            let bits = try valueBytes.readLittleEndian(UInt64.self, field: "real")
            value = .real(Double(bitPattern: bits))
        case 2:  // INT_RESULT
            let raw = try valueBytes.readLittleEndian(UInt64.self, field: "int")
            value = .integer(Int64(bitPattern: raw), isUnsigned: flags & 1 != 0)
        case 4:  // DECIMAL_RESULT: precision (1), scale (1), then packed decimal
            let precision = try valueBytes.readLittleEndian(UInt8.self, field: "decimal.precision")
            let scale = try valueBytes.readLittleEndian(UInt8.self, field: "decimal.scale")
            let column = ColumnDescriptor(type: .newdecimal, metadata: UInt16(precision) << 8 | UInt16(scale))
            if case .decimal(let text) = try MySQLValue.decode(column, from: &valueBytes) {
                value = .decimal(text)
            } else {
                value = .other(type: type, bytes: [])
            }
        default:
            value = .other(type: type, bytes: Array(valueBytes.readableBytesView))
        }
        return Self(name: name, value: value)
    }
}
