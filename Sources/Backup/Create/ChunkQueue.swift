/// The chunks still to dump, handed to workers one at a time.
actor ChunkQueue {
    private var plans: [ChunkPlan]
    private var position = 0

    init(_ plans: [ChunkPlan]) { self.plans = plans }

    func next() -> ChunkPlan? {
        guard self.position < self.plans.count else { return nil }
        defer { self.position += 1 }
        return self.plans[self.position]
    }
}
