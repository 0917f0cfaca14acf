import NIOCore

/// Hands the transactions of a parallel apply to the workers: a transaction goes to the worker that holds a
/// transaction it conflicts with (same connection, so commit order holds without waiting), else to the least loaded
/// one; before applying it a worker waits until the conflicting transactions on other workers are committed.
///
/// A worker commits its open group when the group is full, before it waits, and when anyone waits on what it holds
/// (the reader, a drain, or another worker), so that no wait lasts longer than an apply. What is queued or
/// uncommitted is bounded in bytes: the reader waits beyond ``maximumPendingBytes`` (memory does not grow with the
/// input). The first failure stops everything; the reader sees it at its next call.
actor ParallelScheduler {
    /// What a worker does next.
    enum Work: Sendable {
        /// Apply this transaction after the listed ones (on other workers) are committed.
        case apply(ParallelTransaction, after: [Int])
        /// Commit the open group (someone waits on it).
        case commit
        /// No more work.
        case stop
    }

    let workers: Int
    let maximumPendingBytes: Int
    private var queues: [CircularBuffer<Work>]
    private var queuedBytes: [Int]
    /// Idle workers, with whether they hold an open group.
    private var idle: [Int: (continuation: CheckedContinuation<Work, Never>, holdsGroup: Bool)] = [:]
    private var finished = false
    private(set) var failure: (any Error)?

    /// Uncommitted transactions (queued or applied in an open group) by sequence: their worker, bytes and tables.
    private var owner: [Int: (worker: Int, bytes: Int, tables: Set<Int>)] = [:]
    /// The uncommitted ones in order, with their ends (the low-water mark is before the first).
    private var inOrder: CircularBuffer<(sequence: Int, end: ChainPosition)> = CircularBuffer()
    private var lastCommitted: (sequence: Int, end: ChainPosition)?
    private var pendingBytes = 0
    private var lastRowWriter: [Int: Int] = [:]
    private var lastWholeTableWriter: [Int: Int] = [:]
    private var touching: [Int: Set<Int>] = [:]
    private var waiters: [(sequences: [Int], continuation: CheckedContinuation<Void, Never>)] = []
    private var readerWaiter: (bytes: Int, continuation: CheckedContinuation<Void, Never>)?
    private var drainWaiter: CheckedContinuation<Void, Never>?

    init(workers: Int, maximumPendingBytes: Int) {
        self.workers = workers
        self.maximumPendingBytes = maximumPendingBytes
        self.queues = Array(repeating: [], count: workers)
        self.queuedBytes = Array(repeating: 0, count: workers)
    }

    // MARK: The reader's side

    /// Queues `transaction`; waits while too much is pending. Throws the first worker failure.
    func submit(_ transaction: ParallelTransaction) async throws {
        if let failure { throw failure }
        if self.pendingBytes > 0, self.pendingBytes + transaction.bytes > self.maximumPendingBytes {
            await withCheckedContinuation { continuation in
                self.readerWaiter = (transaction.bytes, continuation)
                self.askIdleWorkersToCommit()
            }
            if let failure { throw failure }
        }
        let writeSet = transaction.writeSet
        var dependencies = Set<Int>()
        for row in writeSet.rows {
            if let writer = self.lastRowWriter[row], self.owner[writer] != nil { dependencies.insert(writer) }
        }
        for table in writeSet.tables {
            if let writer = self.lastWholeTableWriter[table], self.owner[writer] != nil { dependencies.insert(writer) }
        }
        for table in writeSet.wholeTables {
            for other in self.touching[table] ?? [] where self.owner[other] != nil { dependencies.insert(other) }
        }
        let worker = self.chooseWorker(for: dependencies)
        let after = dependencies.filter { self.owner[$0]?.worker != worker }.sorted()

        let sequence = transaction.sequence
        let tables = writeSet.tables.union(writeSet.wholeTables)
        self.owner[sequence] = (worker, transaction.bytes, tables)
        self.inOrder.append((sequence, transaction.end))
        self.pendingBytes += transaction.bytes
        for row in writeSet.rows { self.lastRowWriter[row] = sequence }
        for table in writeSet.wholeTables { self.lastWholeTableWriter[table] = sequence }
        for table in tables { self.touching[table, default: []].insert(sequence) }
        if self.lastRowWriter.count > 200_000 {
            self.lastRowWriter = self.lastRowWriter.filter { self.owner[$0.value] != nil }
        }

        self.queuedBytes[worker] += transaction.bytes
        self.enqueue(.apply(transaction, after: after), for: worker)
    }

    /// Waits until everything submitted is committed. Throws the first worker failure.
    func drain() async throws {
        if let failure { throw failure }
        if !self.owner.isEmpty {
            await withCheckedContinuation { continuation in
                self.drainWaiter = continuation
                self.askIdleWorkersToCommit()
            }
        }
        if let failure { throw failure }
    }

    /// The last transaction before which everything is committed, and where it ends (`nil`: none committed yet).
    func lowWaterMark() -> (sequence: Int, end: ChainPosition)? {
        self.lastCommitted
    }

    /// Ends the apply: workers stop once their queues are empty (after ``drain()``, at once).
    func finish() {
        self.finished = true
        for (worker, idle) in self.idle {
            self.idle[worker] = nil
            idle.continuation.resume(returning: .stop)
        }
    }

    // MARK: The workers' side

    /// The next work for `worker`; `holdsGroup` says whether it has an uncommitted group.
    func next(worker: Int, holdsGroup: Bool) async -> Work {
        if self.failure != nil { return .stop }
        if let work = self.queues[worker].popFirst() {
            if case .apply(let transaction, _) = work { self.queuedBytes[worker] -= transaction.bytes }
            return work
        }
        if holdsGroup, self.someoneWaits(on: worker) { return .commit }
        if self.finished { return holdsGroup ? .commit : .stop }
        return await withCheckedContinuation { continuation in
            self.idle[worker] = (continuation, holdsGroup)
        }
    }

    /// Whether every one of `sequences` is committed.
    func areCommitted(_ sequences: [Int]) -> Bool { sequences.allSatisfy { self.owner[$0] == nil } }

    /// Waits until every one of `sequences` is committed (or the apply failed).
    func waitUntilCommitted(_ sequences: [Int]) async {
        guard self.failure == nil, !self.areCommitted(sequences) else { return }
        await withCheckedContinuation { continuation in
            self.waiters.append((sequences, continuation))
            self.askIdleWorkersToCommit(Set(sequences.compactMap { self.owner[$0]?.worker }))
        }
    }

    /// Records that `sequences` are committed.
    func committed(_ sequences: [Int]) {
        for sequence in sequences {
            guard let entry = self.owner.removeValue(forKey: sequence) else { continue }
            self.pendingBytes -= entry.bytes
            for table in entry.tables {
                self.touching[table]?.remove(sequence)
                if self.touching[table]?.isEmpty == true { self.touching[table] = nil }
            }
        }
        while let first = self.inOrder.first, self.owner[first.sequence] == nil {
            self.lastCommitted = self.inOrder.removeFirst()
        }
        self.wakeWaiters()
    }

    /// Stops the apply with `error` (the first one is kept); everyone waiting wakes up.
    func fail(_ error: any Error) {
        if self.failure == nil { self.failure = error }
        for (worker, idle) in self.idle {
            self.idle[worker] = nil
            idle.continuation.resume(returning: .stop)
        }
        for waiter in self.waiters { waiter.continuation.resume() }
        self.waiters.removeAll()
        self.readerWaiter?.continuation.resume()
        self.readerWaiter = nil
        self.drainWaiter?.resume()
        self.drainWaiter = nil
    }

    // MARK: Internals

    /// Whether the reader or a drain waits (on everyone), or a worker waits on a transaction `worker` holds.
    private func someoneWaits(on worker: Int) -> Bool {
        if self.readerWaiter != nil || self.drainWaiter != nil { return true }
        return self.waiters.contains { $0.sequences.contains { self.owner[$0]?.worker == worker } }
    }

    private func chooseWorker(for dependencies: Set<Int>) -> Int {
        var counts = Array(repeating: 0, count: self.workers)
        for dependency in dependencies { if let worker = self.owner[dependency]?.worker { counts[worker] += 1 } }
        if let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 { return best }
        return self.queuedBytes.indices.min(by: { self.queuedBytes[$0] < self.queuedBytes[$1] }) ?? 0
    }

    private func enqueue(_ work: Work, for worker: Int) {
        if let idle = self.idle.removeValue(forKey: worker) {
            if case .apply(let transaction, _) = work { self.queuedBytes[worker] -= transaction.bytes }
            idle.continuation.resume(returning: work)
        } else {
            self.queues[worker].append(work)
        }
    }

    /// Asks idle workers holding an open group (all, or those in `only`) to commit it.
    private func askIdleWorkersToCommit(_ only: Set<Int>? = nil) {
        for (worker, idle) in self.idle where idle.holdsGroup && only?.contains(worker) != false {
            self.idle[worker] = nil
            idle.continuation.resume(returning: .commit)
        }
    }

    private func wakeWaiters() {
        var still: [(sequences: [Int], continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in self.waiters {
            if self.areCommitted(waiter.sequences) { waiter.continuation.resume() } else { still.append(waiter) }
        }
        self.waiters = still
        if let reader = self.readerWaiter,
            self.pendingBytes == 0 || self.pendingBytes + reader.bytes <= self.maximumPendingBytes
        {
            self.readerWaiter = nil
            reader.continuation.resume()
        }
        if self.owner.isEmpty, let drain = self.drainWaiter {
            self.drainWaiter = nil
            drain.resume()
        }
    }
}
