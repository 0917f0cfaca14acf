import Foundation

/// Transactions written to an unlinked temporary file (one JSON line each) and read back once: a window of any
/// length in flat memory.
struct Spool: ~Copyable {
    private let handle: FileHandle
    private var buffer = Data()
    private let encoder = JSONEncoder()

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-timeline-\(UUID().uuidString)")
            .path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forUpdatingAtPath: path)
        else {
            throw RecoveryError(reason: "cannot create a temporary file (TMPDIR)", path: path)
        }
        // Unlinked at once: the file goes away with the process, whatever happens.
        try? FileManager.default.removeItem(atPath: path)
        self.handle = handle
    }

    deinit { try? self.handle.close() }

    mutating func append(_ transaction: TimelineTransaction) throws {
        var line = try self.encoder.encode(SpooledTransaction(transaction))
        line.append(0x0A)
        self.buffer.append(line)
        if self.buffer.count >= 1 << 20 { try self.flush() }
    }

    private mutating func flush() throws {
        do {
            try self.handle.write(contentsOf: self.buffer)
        } catch {
            throw RecoveryError(reason: "cannot write the timeline's temporary file (\(error.localizedDescription))")
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Reads every transaction back, in order.
    mutating func replay(_ body: (TimelineTransaction) throws -> Void) throws {
        try self.flush()
        try self.handle.seek(toOffset: 0)
        let decoder = JSONDecoder()
        var pending = Data()
        while true {
            let chunk = try self.handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try body(try decoder.decode(SpooledTransaction.self, from: pending[start..<newline]).transaction)
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
    }
}

/// A transaction with what the JSON output leaves out (the tables its statements name).
private struct SpooledTransaction: Codable {
    var transaction: TimelineTransaction

    init(_ transaction: TimelineTransaction) { self.transaction = transaction }

    enum CodingKeys: String, CodingKey { case transaction = "t", namedTables = "n" }
    private struct Named: Codable {
        var d: String
        var t: String
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.transaction = try container.decode(TimelineTransaction.self, forKey: .transaction)
        self.transaction.namedTables = try container.decode([Named].self, forKey: .namedTables).map {
            QualifiedTable(database: $0.d, table: $0.t)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.transaction, forKey: .transaction)
        try container.encode(
            self.transaction.namedTables.map { Named(d: $0.database, t: $0.table) },
            forKey: .namedTables
        )
    }
}
