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
}
