import BinlogFormat
import Foundation
import Recovery

/// Where a restore stops (at most one is given; by default everything the binlogs hold).
public enum RestoreStop: Hashable, Sendable, CustomStringConvertible {
    /// Every complete transaction of the binlogs.
    case end
    /// The last transaction committed at or before this time (commit times have the binlog's one-second
    /// resolution).
    case untilDatetime(Date)
    /// Up to and including the transaction with this GTID.
    case untilGTID(GTID)
    /// Every transaction that ends at or before this byte of this file (never half a transaction).
    case untilPosition(file: String, offset: UInt64)
    /// Everything before this transaction.
    case before(TransactionID)

    public var description: String {
        switch self {
        case .end: "the end of the binlogs"
        case .untilDatetime(let date): "--until-datetime \(RestorePlan.timestamp(date))"
        case .untilGTID(let gtid): "--until-gtid \(gtid)"
        case .untilPosition(let file, let offset): "--until-position \(file):\(offset)"
        case .before(let id): "--before \(id)"
        }
    }
}
