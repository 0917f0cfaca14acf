extension TextBytes {
    private static let fractionDivisors: [UInt32] = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1]

    /// `.` and the first `precision` digits of `microseconds`; nothing when `precision` is 0.
    static func appendFraction(_ microseconds: UInt32, precision: UInt8, to output: inout [UInt8]) {
        guard precision > 0 else { return }
        let digits = Int(min(precision, 6))
        output.append(UInt8(ascii: "."))
        Self.appendUnsigned(UInt64(microseconds / Self.fractionDivisors[digits]), width: digits, to: &output)
    }

    /// `YYYY-MM-DD` (or with another separator: mariadb-binlog prints DATE as `YYYY:MM:DD`).
    static func appendDate(_ date: MySQLDate, separator: UInt8 = UInt8(ascii: "-"), to output: inout [UInt8]) {
        Self.appendUnsigned(UInt64(date.year), width: 4, to: &output)
        output.append(separator)
        Self.appendUnsigned(UInt64(date.month), width: 2, to: &output)
        output.append(separator)
        Self.appendUnsigned(UInt64(date.day), width: 2, to: &output)
    }

    /// `[-]HH:MM:SS[.f…]` with at least two hour digits and `time.precision` fraction digits.
    static func appendTime(_ time: MySQLTime, to output: inout [UInt8]) {
        if time.isNegative { output.append(UInt8(ascii: "-")) }
        Self.appendUnsigned(UInt64(time.hours), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendUnsigned(UInt64(time.minutes), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendUnsigned(UInt64(time.seconds), width: 2, to: &output)
        Self.appendFraction(time.microseconds, precision: time.precision, to: &output)
    }

    /// `YYYY-MM-DD HH:MM:SS[.f…]` (or `T` as the separator) with `value.precision` fraction digits.
    static func appendDateTime(
        _ value: MySQLDateTime,
        separator: UInt8 = UInt8(ascii: " "),
        to output: inout [UInt8]
    ) {
        Self.appendDate(value.date, to: &output)
        output.append(separator)
        Self.appendUnsigned(UInt64(value.hour), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendUnsigned(UInt64(value.minute), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendUnsigned(UInt64(value.second), width: 2, to: &output)
        Self.appendFraction(value.microseconds, precision: value.precision, to: &output)
    }

    /// The UTC civil date and time of `seconds` after the Unix epoch (proleptic Gregorian calendar).
    static func utcDateTime(epochSeconds seconds: UInt32, microseconds: UInt32, precision: UInt8) -> MySQLDateTime {
        let days = Int64(seconds / 86400)
        let secondOfDay = seconds % 86400
        // Days since 1970-01-01 to year/month/day, by 400-year eras starting in March.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return MySQLDateTime(
            date: MySQLDate(
                year: UInt16(truncatingIfNeeded: year),
                month: UInt8(truncatingIfNeeded: month),
                day: UInt8(truncatingIfNeeded: day)
            ),
            hour: UInt8(truncatingIfNeeded: secondOfDay / 3600),
            minute: UInt8(truncatingIfNeeded: secondOfDay / 60 % 60),
            second: UInt8(truncatingIfNeeded: secondOfDay % 60),
            microseconds: microseconds,
            precision: precision
        )
    }
}
