import MySQLWire

/// Runs work items on a set of connections, each connection doing one item at a time, in the items' order, and hands
/// every result to `collect` in the caller's task as it arrives (so `collect` needs no lock).
enum ConnectionWork {
    /// - Parameters:
    ///   - items: The work, first handed out first.
    ///   - connections: One item runs on each at a time; at least one.
    ///   - work: What one item does on a connection.
    ///   - collect: Receives each item with its result, in the order they finish.
    /// - Throws: What `work` or `collect` throws; the other items then stop.
    static func run<Item: Sendable, Output: Sendable>(
        _ items: [Item],
        on connections: [MySQLConnection],
        work: @escaping @Sendable (Item, MySQLConnection) async throws -> Output,
        collect: (Item, Output) throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: (Int, Item, Output).self) { group in
            var next = items.startIndex
            for (slot, connection) in connections.enumerated() where next < items.endIndex {
                let item = items[next]
                next += 1
                group.addTask { (slot, item, try await work(item, connection)) }
            }
            while let (slot, item, output) = try await group.next() {
                try collect(item, output)
                try Task.checkCancellation()
                guard next < items.endIndex else { continue }
                let nextItem = items[next]
                next += 1
                let connection = connections[slot]
                group.addTask { (slot, nextItem, try await work(nextItem, connection)) }
            }
        }
    }
}
