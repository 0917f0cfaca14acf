import BinlogFormat

/// Parsers for the text forms of DATE (`YYYY-MM-DD`), DATETIME/TIMESTAMP (`YYYY-MM-DD hh:mm:ss[.ffffff]`) and TIME
/// (`[-]hhh:mm:ss[.ffffff]`) that text result sets use. Zero dates are allowed, as MySQL allows them.
enum TemporalText {
    static func date(_ text: Substring) -> MySQLDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = UInt16(parts[0]), let month = UInt8(parts[1]), let day = UInt8(parts[2])
        else { return nil }
        return MySQLDate(year: year, month: month, day: day)
    }

    static func date(_ text: String) -> MySQLDate? { self.date(text[...]) }

    static func dateTime(_ text: String, precision: UInt8) -> MySQLDateTime? {
        let halves = text.split(separator: " ", omittingEmptySubsequences: false)
        guard halves.count == 2, let date = self.date(halves[0]),
            let (negative, hours, minutes, seconds, micros) = self.clock(halves[1]), !negative, hours < 24
        else { return nil }
        return MySQLDateTime(
            date: date,
            hour: UInt8(hours),
            minute: minutes,
            second: seconds,
            microseconds: micros,
            precision: min(precision, 6)
        )
    }

    static func time(_ text: String, precision: UInt8) -> MySQLTime? {
        guard let (negative, hours, minutes, seconds, micros) = self.clock(text[...]) else { return nil }
        return MySQLTime(
            isNegative: negative,
            hours: hours,
            minutes: minutes,
            seconds: seconds,
            microseconds: micros,
            precision: min(precision, 6)
        )
    }

    private static func clock(_ text: Substring) -> (Bool, UInt32, UInt8, UInt8, UInt32)? {
        var text = text
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        let fraction = text.split(separator: ".", omittingEmptySubsequences: false)
        guard fraction.count <= 2 else { return nil }
        let parts = fraction[0].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hours = UInt32(parts[0]), let minutes = UInt8(parts[1]),
            let seconds = UInt8(parts[2]), minutes < 60, seconds < 60
        else { return nil }
        var micros: UInt32 = 0
        if fraction.count == 2 {
            let digits = fraction[1]
            guard (1...6).contains(digits.count), let value = UInt32(digits) else { return nil }
            micros = value * UInt32([1, 100_000, 10_000, 1_000, 100, 10, 1][digits.count])
        }
        return (negative, hours, minutes, seconds, micros)
    }
}
