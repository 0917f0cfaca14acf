/// `rate_spike`: rows deleted or updated in one transaction far above what the table's other transactions in the
/// window delete or update.
///
/// Two passes: ``count(_:)`` every transaction of the window, then ``judge(_:)`` each. A table's usual rate is the
/// mean rows deleted+updated per transaction that deleted or updated it, without the transaction judged (so one
/// huge DELETE does not raise its own bar). Inserts do not count, so batch loads are not flagged. Only tables
/// whose row count is not known are judged: where it is, `large_share` says more.
public struct RateSpikeDetector: Sendable {
    public var factor: Double
    public var minimumRows: Int
    private var totals: [QualifiedTable: (rows: Int, transactions: Int)] = [:]

    public init(factor: Double, minimumRows: Int) {
        self.factor = factor
        self.minimumRows = minimumRows
    }

    public mutating func count(_ transaction: TimelineTransaction) {
        for change in transaction.tables where change.deleted + change.updated > 0 {
            var total = self.totals[change.name] ?? (0, 0)
            total.rows += change.deleted + change.updated
            total.transactions += 1
            self.totals[change.name] = total
        }
    }

    /// Whether ``judge(_:)`` could flag `transaction`, whatever the rest of the window holds.
    public func couldFlag(_ transaction: TimelineTransaction) -> Bool {
        transaction.tables.contains { $0.rowsBefore == nil && $0.deleted + $0.updated >= self.minimumRows }
    }

    /// The `rate_spike` flags of `transaction` (counted before).
    public func judge(_ transaction: TimelineTransaction) -> [TimelineTransaction.Suspicion] {
        var flags: [TimelineTransaction.Suspicion] = []
        for change in transaction.tables where change.rowsBefore == nil {
            let touched = change.deleted + change.updated
            guard touched >= self.minimumRows, let total = self.totals[change.name] else { continue }
            let others = total.transactions - 1
            let usual = others > 0 ? Double(total.rows - touched) / Double(others) : 0
            guard Double(touched) >= self.factor * usual else { continue }
            let rate =
                others > 0
                ? "the table's other \(others) changing transactions average \(Self.format(usual)) rows"
                : "no other transaction in the window deleted or updated it"
            flags.append(
                .init(
                    reason: .rateSpike,
                    detail: "\(TimelineBuilder.verbs(change)) \(touched) rows of \(change.name); \(rate)"
                )
            )
        }
        return flags
    }

    static func format(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded()))" : "\((value * 10).rounded() / 10)"
    }
}
