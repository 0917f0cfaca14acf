/// The temporal and JSON text of row values, for the modules that render values as SQL (`SQLRendering`).
///
/// A thin `package` face over the printers the `-v` output uses, so that there is one copy of the date
/// arithmetic and of the temporal formats.
package enum ValueText {
    /// Appends `YYYY-MM-DD`.
    package static func appendDate(_ date: MySQLDate, to output: inout [UInt8]) {
        TextBytes.appendDate(date, to: &output)
    }

    /// Appends `[-]HH:MM:SS[.f…]` with `time.precision` fraction digits.
    package static func appendTime(_ time: MySQLTime, to output: inout [UInt8]) {
        TextBytes.appendTime(time, to: &output)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS[.f…]` with `value.precision` fraction digits.
    package static func appendDateTime(_ value: MySQLDateTime, to output: inout [UInt8]) {
        TextBytes.appendDateTime(value, to: &output)
    }

    /// The UTC civil date and time of a TIMESTAMP value (seconds after the Unix epoch).
    package static func utcDateTime(epochSeconds: UInt32, microseconds: UInt32, precision: UInt8) -> MySQLDateTime {
        TextBytes.utcDateTime(epochSeconds: epochSeconds, microseconds: microseconds, precision: precision)
    }

    /// Appends `value` in decimal.
    package static func appendUnsigned(_ value: UInt64, to output: inout [UInt8]) {
        TextBytes.appendUnsigned(value, to: &output)
    }

    /// Appends `value` in decimal with its sign.
    package static func appendSigned(_ value: Int64, to output: inout [UInt8]) {
        TextBytes.appendSigned(value, to: &output)
    }

    // Values straight from the bytes of a row image (``RowsEvent/forEachRawRow(table:plans:_:)``), with the
    // same checks as the value decoder.

    /// Appends the text of the DECIMAL(precision, scale) value in `bytes`, which hold exactly its
    /// ``VerboseColumn/size`` bytes (the plan has checked precision and scale).
    package static func appendDecimal(
        precision: Int, scale: Int, bytes: UnsafeRawBufferPointer, to output: inout [UInt8]
    ) throws {
        guard bytes.count >= DecimalBinary.byteCount(precision: precision, scale: scale) else {
            throw BinlogDecodingError.truncated(
                "DECIMAL value", needed: DecimalBinary.byteCount(precision: precision, scale: scale),
                available: bytes.count, file: #fileID, line: #line)
        }
        try DecimalBinary.append(precision: precision, scale: scale, bytes: bytes, to: &output)
    }

    /// A DATETIME2 value from its 5 bytes and fraction bytes, both read big-endian.
    package static func datetime2(raw: UInt64, fraction: UInt64, precision: UInt8) throws -> MySQLDateTime {
        let microseconds = try TemporalBinary.microseconds(
            fraction: fraction, precision: precision, field: "DATETIME2 fraction")
        return try TemporalBinary.datetime2(raw: raw, microseconds: microseconds, precision: precision)
    }

    /// A TIMESTAMP2 fraction (read big-endian) in microseconds.
    package static func timestamp2Microseconds(fraction: UInt64, precision: UInt8) throws -> UInt32 {
        try TemporalBinary.microseconds(fraction: fraction, precision: precision, field: "TIMESTAMP2 fraction")
    }

    /// A TIME2 value from its 3 integer bytes and fraction bytes, both read big-endian.
    package static func time2(integer: UInt64, fraction: UInt64, precision: UInt8) throws -> MySQLTime {
        try TemporalBinary.time2(integer: integer, fraction: fraction, precision: precision)
    }
}
