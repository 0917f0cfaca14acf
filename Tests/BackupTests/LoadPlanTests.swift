import Testing

@testable import Backup

/// The load's order of work: most work first, keys and proofs as soon as a table's data is in, and nothing handed
/// out twice or lost.
@Suite struct LoadPlanTests {
    /// Tables: 0 has three small chunks and deferred keys; 1 is one long chunk (no key); 2 has no chunks but keys.
    static func plan() -> LoadPlan {
        LoadPlan(
            chunks: [
                [(rows: 100, bytes: 12_800), (rows: 300, bytes: 0), (rows: 50, bytes: 0)],
                [(rows: 10_000, bytes: 1_280)],
                [],
            ],
            hasDeferredKeys: [true, false, true]
        )
    }

    @Test func loadsTheMostWorkFirstAndAddsKeysOfEmptyTablesAtOnce() {
        var plan = Self.plan()
        #expect(plan.next() == .addKeys(table: 2))
        #expect(plan.next() == .load(table: 1, chunk: 0))
        #expect(plan.next() == .load(table: 0, chunk: 1))  // 300 + 0 against 100 + 12 800 / 128 = 200
        #expect(plan.next() == .load(table: 0, chunk: 0))
        #expect(plan.next() == .load(table: 0, chunk: 2))
        #expect(plan.next() == nil)  // everything else waits for loads
        #expect(!plan.isFinished)
    }

    @Test func keysAndProofsFollowTheLastChunkOfTheirTable() {
        var plan = Self.plan()
        while plan.next() != nil {}
        plan.finished(.load(table: 0, chunk: 1))
        #expect(plan.next() == nil)  // table 0 is not complete: its ranges could still change
        plan.finished(.load(table: 0, chunk: 0))
        plan.finished(.load(table: 0, chunk: 2))
        // Keys before proofs: the ALTER is the long one.
        #expect(plan.next() == .addKeys(table: 0))
        #expect(plan.next() == .prove(table: 0, chunk: 0))
        #expect(plan.next() == .prove(table: 0, chunk: 1))
        #expect(plan.next() == .prove(table: 0, chunk: 2))
        #expect(plan.next() == nil)
    }

    @Test func everyPieceOfWorkIsHandedOutOnceAndTheLastProofEndsItsTable() {
        var plan = Self.plan()
        var running: [LoadPlan.Work] = []
        var seen: [LoadPlan.Work] = []
        var tablesDone: [Int] = []
        // Finish work in an order that differs from the order it was handed out.
        while !plan.isFinished {
            while let work = plan.next() { running.append(work) }
            let work = running.removeLast()
            seen.append(work)
            if let table = plan.finished(work) { tablesDone.append(table) }
        }
        #expect(Set(seen).count == seen.count)
        #expect(seen.count == 4 + 2 + 4)  // 4 loads, 2 tables' keys, 4 proofs
        #expect(Set(tablesDone) == [0, 1])
        for case .prove(let table, let chunk) in seen {
            let proved = seen.firstIndex(of: .prove(table: table, chunk: chunk)) ?? 0
            for loaded in 0..<(table == 0 ? 3 : 1) {
                #expect(seen.firstIndex(of: .load(table: table, chunk: loaded)) ?? .max < proved)
            }
        }
        let keys = seen.firstIndex(of: .addKeys(table: 0)) ?? 0
        for chunk in 0..<3 { #expect(seen.firstIndex(of: .load(table: 0, chunk: chunk)) ?? .max < keys) }
    }
}

/// A connection that finds nothing ready waits until finished work makes some ready, and all are released at the
/// end or when the load stops.
@Suite struct LoadSchedulerTests {
    @Test func waitingConnectionsGetWorkThatBecomesReadyThenNil() async {
        let scheduler = LoadScheduler(LoadPlan(chunks: [[(rows: 1, bytes: 0)]], hasDeferredKeys: [false]))
        let load = await scheduler.next()
        #expect(load == .load(table: 0, chunk: 0))
        async let waiting = scheduler.next()  // nothing ready until the load finishes
        await Task.yield()
        _ = await scheduler.finished(.load(table: 0, chunk: 0))
        let proof = await waiting
        #expect(proof == .prove(table: 0, chunk: 0))
        async let last = scheduler.next()
        #expect(await scheduler.finished(.prove(table: 0, chunk: 0)) == 0)
        #expect(await last == nil)
    }

    @Test func stoppingReleasesWaitingConnections() async {
        let scheduler = LoadScheduler(LoadPlan(chunks: [[(rows: 1, bytes: 0)]], hasDeferredKeys: [false]))
        _ = await scheduler.next()
        async let waiting = scheduler.next()
        await Task.yield()
        await scheduler.stop()
        #expect(await waiting == nil)
        #expect(await scheduler.next() == nil)
    }
}
