import BinlogFormat
import NIOCore

/// One value of a text result row with its column.
public struct MySQLCell: Hashable, Sendable {
    public let column: MySQLColumn
    /// The text the server sent, `nil` for NULL.
    public let bytes: ByteBuffer?

    public init(column: MySQLColumn, bytes: ByteBuffer?) {
        self.column = column
        self.bytes = bytes
    }

    public var isNull: Bool { self.bytes == nil }

    /// The raw bytes, `nil` for NULL.
    public var byteArray: [UInt8]? { self.bytes.map { Array($0.readableBytesView) } }

    /// The value as UTF-8 text (invalid bytes are not repaired: `nil` then), `nil` for NULL.
    public var string: String? {
        guard let bytes = self.byteArray else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    public var int64: Int64? { self.string.flatMap { Int64($0) } }
    public var uint64: UInt64? { self.string.flatMap { UInt64($0) } }
    public var double: Double? { self.string.flatMap { Double($0) } }

    /// The value read by its column type: integers by signedness, DECIMAL as text, temporal types as parts, text
    /// and BLOBs as bytes with the collation, BIT as bytes.
    ///
    /// - Throws: ``MySQLError`` (``MySQLError/Code-swift.struct/protocolViolation``) naming the column when the
    ///   text does not parse as its type.
    public func value() throws -> MySQLValue {
        guard let bytes = self.byteArray else { return .null }
        let text = { String(decoding: bytes, as: UTF8.self) }
        let type = self.column.type
        func invalid() -> MySQLError {
            .protocolViolation("column \(self.column.name): value is not a valid \(type)")
        }
        switch type {
        case .tiny, .short, .long, .longlong, .int24:
            if self.column.isUnsigned {
                guard let value = UInt64(text()) else { throw invalid() }
                return .unsigned(value)
            }
            guard let value = Int64(text()) else { throw invalid() }
            return .signed(value)
        case .year:
            guard let value = UInt16(text()) else { throw invalid() }
            return .year(value)
        case .float:
            guard let value = Float(text()) else { throw invalid() }
            return .float(value)
        case .double:
            guard let value = Double(text()) else { throw invalid() }
            return .double(value)
        case .decimal, .newdecimal:
            return .decimal(text())
        case .date, .newdate:
            guard let date = TemporalText.date(text()) else { throw invalid() }
            return .date(date)
        case .datetime, .datetime2, .timestamp, .timestamp2:
            guard let value = TemporalText.dateTime(text(), precision: self.column.decimals) else { throw invalid() }
            return .datetime(value)
        case .time, .time2:
            guard let value = TemporalText.time(text(), precision: self.column.decimals) else { throw invalid() }
            return .time(value)
        case .bit:
            return .bit(bytes, bitCount: Int(self.column.columnLength))
        case .geometry:
            return .geometry(bytes)
        default:
            return .string(bytes, collation: UInt32(self.column.characterSet))
        }
    }
}
