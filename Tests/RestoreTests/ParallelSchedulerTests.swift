import Foundation
import RewindTestSupport
import Testing

@testable import Restore

/// The scheduler alone, with simulated workers that take random time to apply and commit: every two transactions
/// whose write sets meet are applied in commit order (the later one starts only after the earlier one committed, or
/// on the same worker after it), independent ones spread over the workers, and a whole-table change is ordered after
/// and before every row change of its table.
@Suite struct ParallelSchedulerTests {
    actor Log {
        var started: [Int: Int] = [:]  // sequence → tick
        var committed: [Int: Int] = [:]
        var worker: [Int: Int] = [:]
        var tick = 0
        func start(_ sequence: Int, on worker: Int) {
            self.tick += 1
            self.started[sequence] = self.tick
            self.worker[sequence] = worker
        }
        func commit(_ sequences: [Int]) {
            self.tick += 1
            for sequence in sequences { self.committed[sequence] = self.tick }
        }
    }

    @Test(arguments: [1, 2, 4]) func conflictingTransactionsKeepCommitOrder(workers: Int) async throws {
        var random = SplitMix64(seed: UInt64(41 + workers))
        var transactions: [ParallelTransaction] = []
        for sequence in 1...600 {
            let rows = Set(
                (0..<Int.random(in: 1...3, using: &random)).map { _ in Int.random(in: 0..<40, using: &random) })
            let table = Int.random(in: 100..<103, using: &random)
            let whole: Set<Int> = Int.random(in: 0..<50, using: &random) == 0 ? [table] : []
            transactions.append(
                ParallelTransaction(
                    sequence: sequence, statements: [], bytes: Int.random(in: 100...5000, using: &random),
                    writeSet: WriteSet(rows: rows, tables: [table], wholeTables: whole),
                    end: ChainPosition(file: 0, offset: UInt64(sequence))))
        }
        let scheduler = ParallelScheduler(workers: workers, maximumPendingBytes: 40_000)
        let log = Log()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<workers {
                group.addTask {
                    var open: [Int] = []
                    var random = SplitMix64(seed: UInt64(index))
                    loop: while true {
                        switch await scheduler.next(worker: index, holdsGroup: !open.isEmpty) {
                        case .stop:
                            await log.commit(open)
                            await scheduler.committed(open)
                            break loop
                        case .commit:
                            await log.commit(open)
                            await scheduler.committed(open)
                            open = []
                        case .apply(let transaction, let after):
                            if !after.isEmpty, await !scheduler.areCommitted(after) {
                                await log.commit(open)
                                await scheduler.committed(open)
                                open = []
                                await scheduler.waitUntilCommitted(after)
                            }
                            await log.start(transaction.sequence, on: index)
                            try await Task.sleep(for: .microseconds(Int.random(in: 0...300, using: &random)))
                            open.append(transaction.sequence)
                            if open.count >= 5 {
                                await log.commit(open)
                                await scheduler.committed(open)
                                open = []
                            }
                        }
                    }
                }
            }
            for transaction in transactions { try await scheduler.submit(transaction) }
            try await scheduler.drain()
            await scheduler.finish()
            try await group.waitForAll()
        }
        #expect(await scheduler.lowWaterMark()?.sequence == 600)
        let started = await log.started
        let committed = await log.committed
        let worker = await log.worker
        #expect(started.count == 600 && committed.count == 600)
        var conflicts = 0
        for later in transactions {
            for earlier in transactions where earlier.sequence < later.sequence {
                let a = earlier.writeSet
                let b = later.writeSet
                let meet =
                    !a.rows.isDisjoint(with: b.rows)
                    || !a.wholeTables.isDisjoint(with: b.tables) || !b.wholeTables.isDisjoint(with: a.tables)
                guard meet else { continue }
                conflicts += 1
                let ordered =
                    worker[earlier.sequence] == worker[later.sequence]
                    ? started[earlier.sequence]! < started[later.sequence]!
                    : committed[earlier.sequence]! < started[later.sequence]!
                #expect(ordered, "\(earlier.sequence) and \(later.sequence) meet but were not applied in order")
            }
        }
        #expect(conflicts > 1000)
        if workers > 1 { #expect(Set(worker.values).count == workers, "independent transactions stayed on one worker") }
    }
}
