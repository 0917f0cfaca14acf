import Testing

@testable import Recovery

@Suite struct RateSpikeDetectorTests {
    static func transaction(
        _ deleted: Int,
        updated: Int = 0,
        inserted: Int = 0,
        rowsBefore: Int? = nil
    ) -> TimelineTransaction {
        TimelineTransaction(
            gtid: nil,
            file: "mysql-bin.000001",
            startPosition: 4,
            endPosition: 100,
            commitTimeMicros: 0,
            commitTimeSource: .eventTime,
            tables: [
                .init(
                    database: "q",
                    table: "jobs",
                    inserted: inserted,
                    updated: updated,
                    deleted: deleted,
                    rowsBefore: rowsBefore
                )
            ]
        )
    }

    @Test func aDeleteFarAboveTheTablesUsualRateIsFlaggedInsertsAreNot() {
        var detector = RateSpikeDetector(factor: 50, minimumRows: 100)
        let usual = (0..<200).map { _ in Self.transaction(2) }
        let spike = Self.transaction(400)
        let load = Self.transaction(0, inserted: 100_000)
        for transaction in usual + [spike, load] { detector.count(transaction) }
        #expect(detector.judge(spike).map(\.reason) == [.rateSpike])
        #expect(usual.allSatisfy { detector.judge($0).isEmpty })
        #expect(detector.judge(load).isEmpty)
    }

    @Test func aBusyTableNeedsMoreAndAKnownCountIsLeftToLargeShare() {
        var detector = RateSpikeDetector(factor: 50, minimumRows: 100)
        let usual = (0..<50).map { _ in Self.transaction(300) }
        let bigger = Self.transaction(1000)
        let known = Self.transaction(5000, rowsBefore: 1_000_000)
        for transaction in usual + [bigger, known] { detector.count(transaction) }
        #expect(detector.judge(bigger).isEmpty)
        #expect(detector.judge(known).isEmpty)
    }
}
