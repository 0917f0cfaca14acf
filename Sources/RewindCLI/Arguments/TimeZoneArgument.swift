import ArgumentParser
import Foundation

/// `--timezone`: `UTC` (default), `SYSTEM`, an offset (`+02:00`, `-0530`) or an IANA name (`Europe/Paris`).
struct TimeZoneArgument: ExpressibleByArgument, Sendable {
    var timeZone: TimeZone
    var text: String

    init?(argument: String) {
        self.text = argument
        switch argument.uppercased() {
        case "UTC", "Z", "GMT":
            self.timeZone = TimeZone(secondsFromGMT: 0)!
            return
        case "SYSTEM", "LOCAL":
            self.timeZone = TimeZone.current
            return
        default:
            break
        }
        if let first = argument.first, first == "+" || first == "-" {
            let digits = argument.dropFirst().filter { $0 != ":" }
            guard digits.count == 4 || digits.count == 2, let number = Int(digits) else { return nil }
            let hours = digits.count == 4 ? number / 100 : number
            let minutes = digits.count == 4 ? number % 100 : 0
            guard hours <= 14, minutes < 60,
                let zone = TimeZone(secondsFromGMT: (first == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
            else { return nil }
            self.timeZone = zone
            return
        }
        guard let zone = TimeZone(identifier: argument) else { return nil }
        self.timeZone = zone
    }

    static let utc = TimeZoneArgument(argument: "UTC")!

    /// How help prints the default: as typed (`UTC`), not the struct.
    var defaultValueDescription: String { self.text }

    /// Seconds east of UTC at `instant`.
    func offset(at instant: Date = Date()) -> Int64 { Int64(self.timeZone.secondsFromGMT(for: instant)) }
}
