import BinlogFormat

/// Fast date formatting for listings (no Foundation formatter in the per-event path).
enum TimeFormatting {
    /// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        CivilCalendar.date(fromDays: days)
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilCalendar.days(year: year, month: month, day: day)
    }

    static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// ``mysqlbinlogStamp(_:)`` written into `buffer` (every event's header line has one).
    static func appendMysqlbinlogStamp(_ seconds: Int64, to buffer: inout TextBuffer) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (year, month, day) = civil(fromDays: days)
        buffer.appendDecimal((year % 100).magnitude, width: 2)
        buffer.appendDecimal(UInt64(month), width: 2)
        buffer.appendDecimal(UInt64(day), width: 2)
        buffer.append(rest / 3600 < 10 ? "  " : " ")
        buffer.appendDecimal(UInt64(rest / 3600))
        buffer.append(":")
        buffer.appendDecimal(UInt64(rest / 60 % 60), width: 2)
        buffer.append(":")
        buffer.appendDecimal(UInt64(rest % 60), width: 2)
    }

    /// `YYMMDD HH:MM:SS`, as mysqlbinlog's event header lines print it.
    static func mysqlbinlogStamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (year, month, day) = civil(fromDays: days)
        return twoDigits(year % 100) + twoDigits(month) + twoDigits(day) + " "
            + (rest / 3600 < 10 ? " " : "") + "\(rest / 3600):" + twoDigits(rest / 60 % 60) + ":" + twoDigits(rest % 60)
    }

    /// `YYYY-MM-DDTHH:MM:SS` plus the zone suffix (`Z` or `+HH:MM`).
    static func iso8601(_ seconds: Int64, offset: Int64) -> String {
        let local = seconds + offset
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let rest = local - days * 86400
        let (year, month, day) = civil(fromDays: days)
        var text =
            "\(year)-" + twoDigits(month) + "-" + twoDigits(day) + "T" + twoDigits(rest / 3600) + ":"
            + twoDigits(rest / 60 % 60) + ":" + twoDigits(rest % 60)
        if offset == 0 {
            text += "Z"
        } else {
            let magnitude = abs(offset)
            text += (offset < 0 ? "-" : "+") + twoDigits(magnitude / 3600) + ":" + twoDigits(magnitude / 60 % 60)
        }
        return text
    }
}
