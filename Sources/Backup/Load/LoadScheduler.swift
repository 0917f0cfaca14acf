/// Hands a ``LoadPlan``'s work to the load connections: a connection that finds nothing ready waits until a
/// running piece of work finishes (and makes more ready) or everything is done.
actor LoadScheduler {
    private var plan: LoadPlan
    private var waiting: [CheckedContinuation<LoadPlan.Work?, Never>] = []
    private var stopped = false

    init(_ plan: LoadPlan) { self.plan = plan }

    /// The next work, or `nil` when everything is done or the load stopped.
    func next() async -> LoadPlan.Work? {
        if self.stopped { return nil }
        if let work = self.plan.next() { return work }
        if self.plan.isFinished { return nil }
        return await withCheckedContinuation { self.waiting.append($0) }
    }

    /// Records finished work and wakes the connections waiting for what became ready.
    ///
    /// - Returns: The table whose last chunk this proved, if it did.
    func finished(_ work: LoadPlan.Work) -> Int? {
        defer { self.wakeWaiting() }
        return self.plan.finished(work)
    }

    private func wakeWaiting() {
        while !self.waiting.isEmpty, !self.stopped, let next = self.plan.next() {
            self.waiting.removeFirst().resume(returning: next)
        }
        if self.plan.isFinished || self.stopped { self.wakeAll() }
    }

    /// Stops handing out work (a connection failed): waiting connections get `nil`.
    func stop() {
        self.stopped = true
        self.wakeAll()
    }

    private func wakeAll() {
        let waiting = self.waiting
        self.waiting.removeAll()
        for continuation in waiting { continuation.resume(returning: nil) }
    }
}
