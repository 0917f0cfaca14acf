import ArgumentParser
import Foundation

/// `--timezone`: `UTC` (default), `SYSTEM`, an offset (`+02:00`, `-0530`) or an IANA name (`Europe/Paris`).
struct TimeZoneArgument: ExpressibleByArgument, Sendable {
    /// The zone; UTC is made when asked for: every command with `--timezone` has it as its default, and the
    /// arguments are made several times while they are parsed (making a `TimeZone` the first time fills
    /// Foundation's zone cache, which a run that never converts a time need not pay for).
    var timeZone: TimeZone { self.zone ?? TimeZone(secondsFromGMT: 0)! }
    var text: String
    private var zone: TimeZone?

    init?(argument: String) {
        self.text = argument
        switch argument.uppercased() {
        case "UTC", "Z", "GMT":
            self.zone = nil
            return
        case "SYSTEM", "LOCAL":
            self.zone = TimeZone.current
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
            self.zone = zone
            return
        }
        guard let zone = TimeZone(identifier: argument) else { return nil }
        self.zone = zone
    }

    static let utc = TimeZoneArgument(argument: "UTC")!

    /// How help prints the default: as typed (`UTC`), not the struct.
    var defaultValueDescription: String { self.text }

    /// Seconds east of UTC at `instant`.
    func offset(at instant: Date = Date()) -> Int64 { Int64(self.timeZone.secondsFromGMT(for: instant)) }
}
