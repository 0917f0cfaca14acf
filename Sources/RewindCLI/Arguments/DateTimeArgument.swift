import ArgumentParser
import Foundation

/// A wall-clock time as `mysqlbinlog --start-datetime` takes it: `2024-05-01 13:45:00`, `2024-05-01T13:45:00`,
/// `2024-05-01` or with an explicit zone (`…Z`, `…+02:00`). Without a zone it is read in `--timezone`.
struct DateTimeArgument: ExpressibleByArgument, Sendable, Equatable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    /// Seconds east of UTC when the text names a zone.
    var explicitOffset: Int?
    var text: String

    init?(argument: String) {
        self.text = argument
        var rest = Substring(argument.trimmingCharacters(in: .whitespaces))
        var offset: Int?
        if rest.hasSuffix("Z") {
            offset = 0
            rest = rest.dropLast()
        } else if rest.count > 19, let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }),
            rest.distance(from: rest.startIndex, to: signIndex) >= 10
        {
            let zone = rest[signIndex...]
            let digits = zone.dropFirst().filter { $0 != ":" }
            guard digits.count == 4, let number = Int(digits) else { return nil }
            offset = (zone.first == "-" ? -1 : 1) * ((number / 100) * 3600 + (number % 100) * 60)
            rest = rest[..<signIndex]
        }
        let parts = rest.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        guard date.count == 3, (1...12).contains(date[1]), (1...31).contains(date[2]) else { return nil }
        var time = [0, 0, 0]
        if parts.count == 2 {
            let fields = parts[1].split(separator: ":").compactMap { Int($0.split(separator: ".")[0]) }
            guard (2...3).contains(fields.count), fields[0] < 24, fields[1] < 60, fields.last! < 61 else { return nil }
            time = fields.count == 3 ? fields : fields + [0]
        }
        (self.year, self.month, self.day) = (date[0], date[1], date[2])
        (self.hour, self.minute, self.second) = (time[0], time[1], time[2])
        self.explicitOffset = offset
    }

    /// Seconds since the epoch, reading a zone-less text in `zone`.
    func epochSeconds(in zone: TimeZone) -> Int64 {
        let days = TimeFormatting.days(year: Int64(self.year), month: Int64(self.month), day: Int64(self.day))
        let wall = days * 86400 + Int64(self.hour * 3600 + self.minute * 60 + self.second)
        if let explicitOffset { return wall - Int64(explicitOffset) }
        // The zone's offset at that wall time (one correction step handles DST boundaries well enough).
        let guess = wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall))))
        return wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
    }
}
