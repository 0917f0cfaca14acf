/// Work items (table index, chunk index) handed to load connections one at a time.
actor LoadQueue {
    private var items: [(Int, Int)]
    private var index = 0

    init(_ items: [(Int, Int)]) { self.items = items }

    func next() -> (Int, Int)? {
        guard self.index < self.items.count else { return nil }
        defer { self.index += 1 }
        return self.items[self.index]
    }
}
