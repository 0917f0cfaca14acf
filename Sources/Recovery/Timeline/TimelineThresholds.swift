/// The limits above which a timeline flags a transaction (each one a `rewind timeline` option).
public struct TimelineThresholds: Sendable, Equatable {
    /// `large_share`: the share of a table's rows deleted or updated (0…1).
    public var largeShare: Double
    /// `large_share`: at least this many rows, so that one row of a two-row table is not an accident.
    public var largeShareMinimumRows: Int
    /// `large_count`: rows deleted or updated in one table when its row count is not known.
    public var largeCount: Int
    /// `rate_spike`: how many times the table's usual rows per changing transaction.
    public var rateSpikeFactor: Double
    /// `rate_spike`: at least this many rows.
    public var rateSpikeMinimumRows: Int

    public init(
        largeShare: Double = 0.5,
        largeShareMinimumRows: Int = 10,
        largeCount: Int = 1000,
        rateSpikeFactor: Double = 50,
        rateSpikeMinimumRows: Int = 100
    ) {
        self.largeShare = largeShare
        self.largeShareMinimumRows = largeShareMinimumRows
        self.largeCount = largeCount
        self.rateSpikeFactor = rateSpikeFactor
        self.rateSpikeMinimumRows = rateSpikeMinimumRows
    }
}
