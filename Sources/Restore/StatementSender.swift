import MySQLWire
import NIOCore

/// Sends statements to the target in multi-statement batches of at most `limit` bytes (one round trip each); the
/// server stops at the first failing statement, and the error names it. One batch is in flight while the next is
/// built (``flush()``); ``settle()`` waits for it.
final class StatementSender {
    let connection: MySQLConnection
    let server: String
    let limit: Int
    private var buffer: [UInt8] = []
    private(set) var sentBytes: UInt64 = 0
    private var inFlight: Task<Void, any Error>?
    /// The transaction the statements added now belong to (its id and where it starts), for errors.
    var transaction = ""
    /// The first and last transaction of the batch being built.
    private var batchTransactions: (first: String, last: String)?

    init(connection: MySQLConnection, server: String, limit: Int) {
        self.connection = connection
        self.server = server
        self.limit = limit
        self.buffer.reserveCapacity(limit)
    }

    func add(_ statement: [UInt8]) async throws {
        if !self.buffer.isEmpty, self.buffer.count + statement.count + 2 > self.limit { try await self.flush() }
        if !self.buffer.isEmpty { self.buffer += [0x3B, 0x0A] }
        self.buffer += statement
        let first = self.batchTransactions.map { $0.first.isEmpty ? self.transaction : $0.first } ?? self.transaction
        self.batchTransactions = (first, self.transaction)
    }

    func add(_ statement: String) async throws { try await self.add(Array(statement.utf8)) }

    /// Adds a `BINLOG` statement and sends the batch: the server's answer to a `BINLOG` statement does not say
    /// whether more results follow (the events' apply resets that status), so one must end its batch.
    func addBinlog(_ statement: [UInt8]) async throws {
        try await self.add(statement)
        try await self.flush()
    }

    /// Sends what is batched. The batch goes out at once, but its answer is awaited only before the next batch
    /// (or at ``settle()``): the server applies one batch while the next is read and encoded (one batch in flight,
    /// the answers still in order; an error is thrown by the call after the one that sent the failing batch).
    func flush() async throws {
        guard !self.buffer.isEmpty else { return }
        let bytes = ByteBuffer(bytes: self.buffer)
        self.sentBytes += UInt64(self.buffer.count)
        self.buffer.removeAll(keepingCapacity: true)
        // The answer comes at the next settle, maybe after later transactions were added: the batch names its own.
        let transactions: String
        switch self.batchTransactions {
        case .some(let batch) where batch.first.isEmpty: transactions = ""
        case .some(let batch) where batch.first == batch.last: transactions = "transaction \(batch.first)"
        case .some(let batch): transactions = "the batch of transactions \(batch.first) … \(batch.last)"
        case .none: transactions = ""
        }
        self.batchTransactions = nil
        try await self.settle()
        let connection = self.connection
        let server = self.server
        self.inFlight = Task {
            do {
                _ = try await connection.query(bytes: bytes)
            } catch let error as MySQLError {
                throw SendError(
                    serverCode: error.serverError?.code,
                    error: RestoreError(
                        .failed, "\(server) refused a replayed statement: \(error)")
                ).naming(transactions)
            }
        }
    }

    /// Waits for the answer to the batch in flight (before anything else uses the connection, and before a result
    /// must be known: a commit the progress record counts, a statement whose error is handled).
    func settle() async throws {
        guard let inFlight = self.inFlight else { return }
        self.inFlight = nil
        try await inFlight.value
    }

    /// Sends what is batched and waits for its answer.
    func flushAndSettle() async throws {
        try await self.flush()
        try await self.settle()
    }
}

/// A statement the target refused, with the server's error number when it gave one.
struct SendError: Error, CustomStringConvertible {
    var serverCode: UInt16?
    var error: RestoreError

    /// The restore error's text (never the Swift value: it reached the user as `SendError(serverCode: …)`).
    var description: String { self.error.description }

    /// The same error, its message naming the replayed transaction(s) the refused statement belongs to.
    func naming(_ transactions: String) -> SendError {
        guard !transactions.isEmpty else { return self }
        return SendError(
            serverCode: self.serverCode,
            error: RestoreError(self.error.code, self.error.message + " (in \(transactions))"))
    }
}
