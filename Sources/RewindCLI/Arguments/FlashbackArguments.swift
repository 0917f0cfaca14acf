import ArgumentParser
import Flashback
import Recovery

extension TransactionID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `--since`/`--until`: a time (`2026-11-30 09:12:00`, in `--timezone` unless it names a zone) or `FILE:POS`.
struct BinlogBoundArgument: ExpressibleByArgument, Sendable {
    enum Value: Sendable {
        case time(DateTimeArgument)
        case position(file: String, offset: UInt64)
    }
    var value: Value

    init?(argument: String) {
        if let time = DateTimeArgument(argument: argument) {
            self.value = .time(time)
        } else if case .position(let file, let offset)? = TransactionID(argument) {
            self.value = .position(file: file, offset: offset)
        } else {
            return nil
        }
    }

    func bound(in zone: TimeZoneArgument) -> BinlogBound {
        switch self.value {
        case .time(let time): .time(time.epochSeconds(in: zone.timeZone))
        case .position(let file, let offset): .position(file: file, offset: offset)
        }
    }
}
