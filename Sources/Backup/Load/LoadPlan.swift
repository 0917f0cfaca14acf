/// The order of a load's work on its connections: loading chunks, adding deferred keys, proving chunks.
///
/// Pure: it hands out work and hears when work is done; ``LoadScheduler`` runs it for the connections. As soon as a
/// table's last chunk is in, its keys are added (a long `ALTER TABLE` that keeps one server thread busy while the
/// other connections go on loading) and its chunks are proved (each chunk's key range hashed on the target), so the
/// read-back overlaps the load of the other tables instead of following the whole load.
///
/// Order of preference: keys ready to add; chunks to load, the most work first (rows plus compressed bytes / 128,
/// a rough measure of what the server and the hashing spend on a chunk: a table without a key is one long chunk
/// that must not start last); chunks to prove, table by table in the order the tables were complete.
struct LoadPlan: Sendable {
    enum Work: Hashable, Sendable {
        case load(table: Int, chunk: Int)
        case addKeys(table: Int)
        case prove(table: Int, chunk: Int)
    }

    private var loads: [Work]
    private var loadIndex = 0
    private var keysReady: [Work] = []
    private var proofsReady: [Work] = []
    /// Per table, how many chunks it has.
    private let chunkCounts: [Int]
    /// Per table, its chunks not yet loaded.
    private var chunksLeft: [Int]
    /// Per table, its chunks not yet proved.
    private var proofsLeft: [Int]
    private let hasDeferredKeys: [Bool]
    private var running = 0

    /// - Parameters:
    ///   - chunks: Per table, the rows and bytes of each chunk (in the manifest's order).
    ///   - hasDeferredKeys: Per table, whether keys wait for its data.
    init(chunks: [[(rows: UInt64, bytes: UInt64)]], hasDeferredKeys: [Bool]) {
        self.hasDeferredKeys = hasDeferredKeys
        self.chunkCounts = chunks.map(\.count)
        self.chunksLeft = self.chunkCounts
        self.proofsLeft = self.chunkCounts
        var work: [(table: Int, chunk: Int, work: UInt64)] = []
        for (table, sizes) in chunks.enumerated() {
            for (chunk, size) in sizes.enumerated() { work.append((table, chunk, size.rows &+ size.bytes / 128)) }
        }
        work.sort { ($0.work, $1.table, $1.chunk) > ($1.work, $0.table, $0.chunk) }
        self.loads = work.map { .load(table: $0.table, chunk: $0.chunk) }
        for (table, count) in self.chunksLeft.enumerated() where count == 0 && hasDeferredKeys[table] {
            self.keysReady.append(.addKeys(table: table))
        }
    }

    /// The next work to start, or `nil` when none is ready (see ``isFinished``).
    mutating func next() -> Work? {
        let work: Work
        if !self.keysReady.isEmpty {
            work = self.keysReady.removeFirst()
        } else if self.loadIndex < self.loads.count {
            work = self.loads[self.loadIndex]
            self.loadIndex += 1
        } else if !self.proofsReady.isEmpty {
            work = self.proofsReady.removeFirst()
        } else {
            return nil
        }
        self.running += 1
        return work
    }

    /// Records that `work` (handed out by ``next()``) is done: what depended on it becomes ready.
    ///
    /// - Returns: The table whose last chunk this proved, if it did.
    @discardableResult
    mutating func finished(_ work: Work) -> Int? {
        self.running -= 1
        switch work {
        case .load(let table, _):
            self.chunksLeft[table] -= 1
            guard self.chunksLeft[table] == 0 else { return nil }
            if self.hasDeferredKeys[table] { self.keysReady.append(.addKeys(table: table)) }
            for chunk in 0..<self.chunkCounts[table] { self.proofsReady.append(.prove(table: table, chunk: chunk)) }
            return nil
        case .addKeys:
            return nil
        case .prove(let table, _):
            self.proofsLeft[table] -= 1
            return self.proofsLeft[table] == 0 ? table : nil
        }
    }

    /// Nothing is running and nothing is left: every piece of work was handed out and finished.
    var isFinished: Bool {
        self.running == 0 && self.keysReady.isEmpty && self.loadIndex == self.loads.count && self.proofsReady.isEmpty
    }
}
