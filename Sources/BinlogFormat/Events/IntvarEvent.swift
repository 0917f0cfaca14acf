import NIOCore

/// `INTVAR_EVENT` (5): `LAST_INSERT_ID()` or `INSERT_ID` for the next statement-based query.
///
///     ┌──────────┬───────────┐
///     │ type (1) │ value (8) │
///     └──────────┴───────────┘
public struct IntvarEvent: Hashable, Sendable {
    /// 1 = `LAST_INSERT_ID`, 2 = `INSERT_ID`.
    public var variable: UInt8
    public var value: UInt64

    public init(variable: UInt8, value: UInt64) {
        self.variable = variable
        self.value = value
    }

    /// `LAST_INSERT_ID` or `INSERT_ID`.
    public var variableName: String {
        switch self.variable {
        case 1: "LAST_INSERT_ID"
        case 2: "INSERT_ID"
        default: "INVALID_INT"
        }
    }

    static func decode(from body: inout ByteBuffer) throws -> Self {
        let variable = try body.readLittleEndian(UInt8.self, field: "type")
        let value = try body.readLittleEndian(UInt64.self, field: "value")
        return Self(variable: variable, value: value)
    }
}
