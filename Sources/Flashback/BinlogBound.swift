/// One end of a `--since`/`--until` range: a time (seconds since the epoch, UTC) or a binlog position.
public enum BinlogBound: Hashable, Sendable {
    case time(Int64)
    case position(file: String, offset: UInt64)

    /// Whether a transaction that starts at `file:offset` at `timestamp` comes at or after this bound.
    ///
    /// - Parameter fileOrder: the position of a file name among the binlogs read (names sort by their
    ///   numeric suffix, so a plain comparison works too; the order given on the command line is used).
    func isAtOrBefore(file: String, offset: UInt64, timestamp: UInt32, fileOrder: (String) -> Int?) -> Bool {
        switch self {
        case .time(let seconds):
            return seconds <= Int64(timestamp)
        case .position(let boundFile, let boundOffset):
            guard let bound = fileOrder(boundFile), let here = fileOrder(file) else { return false }
            return bound < here || (bound == here && boundOffset <= offset)
        }
    }
}
