extension TextBytes {
    /// `.` and the first `precision` digits of `microseconds`; nothing when `precision` is 0.
    static func appendFraction<Output: ByteOutput & ~Copyable>(
        _ microseconds: UInt32, precision: UInt8, to output: inout Output
    ) {
        guard precision > 0 else { return }
        let digits = Int(min(precision, 6))
        output.append(UInt8(ascii: "."))
        // The first `digits` of the six microsecond digits (values above 999999 keep their extra leading digits).
        var divisor: UInt32 = 1_000_000
        var value = microseconds
        if value >= divisor {
            Self.appendUnsigned(UInt64(value / divisor), to: &output)
            value %= divisor
        }
        for _ in 0..<digits {
            divisor /= 10
            output.append(UInt8(truncatingIfNeeded: value / divisor) &+ 0x30)
            value %= divisor
        }
    }

    /// `YYYY-MM-DD` (or with another separator: mariadb-binlog prints DATE as `YYYY:MM:DD`).
    static func appendDate<Output: ByteOutput & ~Copyable>(
        _ date: MySQLDate, separator: UInt8 = UInt8(ascii: "-"), to output: inout Output
    ) {
        Self.appendUnsigned(UInt64(date.year), width: 4, to: &output)
        output.append(separator)
        Self.appendTwoDigits(UInt32(date.month), to: &output)
        output.append(separator)
        Self.appendTwoDigits(UInt32(date.day), to: &output)
    }

    /// `[-]HH:MM:SS[.f…]` with at least two hour digits and `time.precision` fraction digits.
    static func appendTime<Output: ByteOutput & ~Copyable>(_ time: MySQLTime, to output: inout Output) {
        if time.isNegative { output.append(UInt8(ascii: "-")) }
        Self.appendUnsigned(UInt64(time.hours), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(UInt32(time.minutes), to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(UInt32(time.seconds), to: &output)
        Self.appendFraction(time.microseconds, precision: time.precision, to: &output)
    }

    /// `YYYY-MM-DD HH:MM:SS[.f…]` (or `T` as the separator) with `value.precision` fraction digits.
    static func appendDateTime<Output: ByteOutput & ~Copyable>(
        _ value: MySQLDateTime,
        separator: UInt8 = UInt8(ascii: " "),
        to output: inout Output
    ) {
        Self.appendDate(value.date, to: &output)
        output.append(separator)
        Self.appendTwoDigits(UInt32(value.hour), to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(UInt32(value.minute), to: &output)
        output.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(UInt32(value.second), to: &output)
        Self.appendFraction(value.microseconds, precision: value.precision, to: &output)
    }

    /// The UTC civil date and time of `seconds` after the Unix epoch (proleptic Gregorian calendar).
    static func utcDateTime(epochSeconds seconds: UInt32, microseconds: UInt32, precision: UInt8) -> MySQLDateTime {
        let days = Int64(seconds / 86400)
        let secondOfDay = seconds % 86400
        let (year, month, day) = CivilCalendar.date(fromDays: days)
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
