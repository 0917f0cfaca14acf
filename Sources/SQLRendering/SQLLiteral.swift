import BinlogFormat

/// Exact SQL literals for the values of a decoded row image: the one place that turns a ``MySQLValue`` into
/// SQL text (flashback writes its undo statements with it; restore and backup will too).
///
/// Every literal gives back the same stored value when it is inserted into a column of the same type, and
/// compares equal to it (`column <=> literal`), on MySQL and MariaDB, provided the session runs
/// ``sessionStatements`` first:
///
///     value                         literal
///     NULL                          NULL
///     integers, YEAR                -12   18446744073709551615   2024   '0000' (YEAR 0)
///     DECIMAL                       -123.4500 (the exact digits)
///     FLOAT, DOUBLE                 1.0000000149011612e-1 (shortest text that reads back as the same double;
///                                   a FLOAT as its exact double value, so a comparison with the column holds)
///     DATE, DATETIME, TIME          '2024-02-29'  '2024-02-29 13:45:00.123456'  '-838:59:59.000000'
///     TIMESTAMP                     '2024-02-29 13:45:00.123' in UTC (hence `SET time_zone = '+00:00'`)
///     ENUM, SET                     the member index / bitmask as a number (exact without the member names)
///     BIT(n)                        b'0101' (n digits)
///     utf8mb3/utf8mb4 text          'it''s' (when valid UTF-8 without backslashes or control bytes)
///     other text                    _latin1 0xE9 (hex with the column's character set as introducer)
///     binary, BLOB, GEOMETRY        0x00FF (BINARY(n) padded with 0x00 to n bytes, as the server stores it)
///     JSON (MySQL binary JSON)      CAST('{"a": 1}' AS JSON)
///
/// No literal uses a backslash, so the text means the same with and without `NO_BACKSLASH_ESCAPES`.
package enum SQLLiteral {
    /// The session settings the literals assume: the client character set (plain literals are UTF-8) and
    /// the time zone (TIMESTAMP literals are UTC).
    package static let sessionStatements = ["SET NAMES utf8mb4", "SET time_zone = '+00:00'"]

    /// Appends the literal for `value` of `column` to `output` (UTF-8 bytes).
    ///
    /// - Parameters:
    ///   - value: A value decoded from a row image of `column`.
    ///   - column: The column's TABLE_MAP description (type, metadata, collation).
    ///   - output: The SQL text being written.
    /// - Throws: ``SQLRenderingError`` `.notRepresentable` for a NaN or infinite FLOAT/DOUBLE (no server
    ///   stores one), naming the column.
    package static func append(_ value: MySQLValue, column: ColumnDescriptor, to output: inout [UInt8]) throws {
        switch value {
        case .null:
            output.append(contentsOf: "NULL".utf8)
        case .signed(let number):
            ValueText.appendSigned(number, to: &output)
        case .unsigned(let number):
            ValueText.appendUnsigned(number, to: &output)
        case .float(let number):
            try Self.appendDouble(Double(number), type: column.type, name: column.name, to: &output)
        case .double(let number):
            try Self.appendDouble(number, type: column.type, name: column.name, to: &output)
        case .decimal(let text):
            output.append(contentsOf: text.utf8)
        case .year(let year):
            if year == 0 {
                output.append(contentsOf: "'0000'".utf8)
            } else {
                ValueText.appendUnsigned(UInt64(year), to: &output)
            }
        case .date(let date):
            output.append(UInt8(ascii: "'"))
            ValueText.appendDate(date, to: &output)
            output.append(UInt8(ascii: "'"))
        case .time(let time):
            output.append(UInt8(ascii: "'"))
            ValueText.appendTime(time, to: &output)
            output.append(UInt8(ascii: "'"))
        case .datetime(let value):
            output.append(UInt8(ascii: "'"))
            ValueText.appendDateTime(value, to: &output)
            output.append(UInt8(ascii: "'"))
        case .timestamp(let seconds, let microseconds, let precision):
            Self.appendTimestamp(seconds: seconds, microseconds: microseconds, precision: precision, to: &output)
        case .string(let bytes, let collation):
            Self.appendString(bytes, collation: collation ?? column.collation, column: column, to: &output)
        case .enumeration(let index):
            ValueText.appendUnsigned(UInt64(index), to: &output)
        case .set(let mask):
            ValueText.appendUnsigned(mask, to: &output)
        case .bit(let bytes, let bitCount):
            Self.appendBits(bytes, bitCount: bitCount, to: &output)
        case .json(let document):
            var text: [UInt8] = []
            document.appendCanonicalText(to: &text)
            output.append(contentsOf: "CAST(".utf8)
            Self.appendString(text, collation: 45, column: column, to: &output)
            output.append(contentsOf: " AS JSON)".utf8)
        case .geometry(let bytes):
            Self.appendHex(bytes, to: &output)
        case .vector(let floats):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(floats.count * 4)
            for float in floats {
                withUnsafeBytes(of: float.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            Self.appendHex(bytes, to: &output)
        }
    }

    /// `'YYYY-MM-DD HH:MM:SS[.f…]'` of a TIMESTAMP in UTC.
    static func appendTimestamp(seconds: UInt32, microseconds: UInt32, precision: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "'"))
        if seconds == 0 && microseconds == 0 {
            // The zero TIMESTAMP; 1970-01-01 00:00:00 UTC is not a storable TIMESTAMP, so no clash.
            let zero = MySQLDateTime(
                date: MySQLDate(year: 0, month: 0, day: 0), hour: 0, minute: 0, second: 0, microseconds: 0,
                precision: precision)
            ValueText.appendDateTime(zero, to: &output)
        } else {
            ValueText.appendDateTime(
                ValueText.utcDateTime(epochSeconds: seconds, microseconds: microseconds, precision: precision),
                to: &output)
        }
        output.append(UInt8(ascii: "'"))
    }

    /// The literal for `value` of `column` as a string.
    ///
    /// - Throws: ``SQLRenderingError`` as ``append(_:column:to:)``.
    package static func render(_ value: MySQLValue, column: ColumnDescriptor) throws -> String {
        var output: [UInt8] = []
        try Self.append(value, column: column, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
