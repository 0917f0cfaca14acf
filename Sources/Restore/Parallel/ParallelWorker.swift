import MySQLWire
import NIOCore

/// One connection of a parallel apply: applies the transactions the scheduler hands it, several to a commit, and
/// records each one's sequence in `rewind_restore.applied` in the same commit (a restart knows the exact set).
///
/// A deadlock or lock wait timeout (the target's answer when two transactions the write sets could not tell apart
/// meet) rolls the open group back and applies it again, up to ``retries`` times.
struct ParallelWorker {
    let index: Int
    let connection: MySQLConnection
    let server: String
    let scheduler: ParallelScheduler
    let groupTransactions: Int
    let groupBytes: Int
    static let retries = 5
    static let retriedErrors: Set<UInt16> = [ServerErrorCode.lockWaitTimeout, ServerErrorCode.deadlock]

    private var group: [ParallelTransaction] = []
    private var bytes = 0

    init(
        index: Int, connection: MySQLConnection, server: String, scheduler: ParallelScheduler, groupTransactions: Int,
        groupBytes: Int
    ) {
        self.index = index
        self.connection = connection
        self.server = server
        self.scheduler = scheduler
        self.groupTransactions = groupTransactions
        self.groupBytes = groupBytes
    }

    /// The session every worker needs before its first transaction: no binlog, the replication applier's session
    /// (as mysqlbinlog's output sets it), READ COMMITTED (no gap locks between independent transactions), and the
    /// binlog's format description.
    static func prepare(_ connection: MySQLConnection, formatDescriptionStatement: [UInt8]) async throws {
        _ = try await connection.query("SET SESSION sql_log_bin = 0")
        _ = try? await connection.query("SET SESSION pseudo_slave_mode = 1")
        _ = try await connection.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        _ = try await connection.query(bytes: ByteBuffer(bytes: formatDescriptionStatement))
    }

    /// Works until the scheduler says stop; a failure is reported to the scheduler (which stops the others).
    mutating func run() async {
        do {
            while true {
                switch await self.scheduler.next(worker: self.index, holdsGroup: !self.group.isEmpty) {
                case .stop:
                    try await self.commit()
                    return
                case .commit:
                    try await self.commit()
                case .apply(let transaction, let after):
                    if !after.isEmpty, await !self.scheduler.areCommitted(after) {
                        try await self.commit()
                        await self.scheduler.waitUntilCommitted(after)
                        if await self.scheduler.failure != nil { return }
                    }
                    try await self.apply(transaction)
                    if self.group.count >= self.groupTransactions || self.bytes >= self.groupBytes {
                        try await self.commit()
                    }
                }
            }
        } catch {
            _ = try? await self.connection.query("ROLLBACK")
            await self.scheduler.fail((error as? SendError)?.error ?? error)
        }
    }

    private mutating func apply(_ transaction: ParallelTransaction) async throws {
        var attempt = 0
        while true {
            do {
                try await self.send(transaction, opening: self.group.isEmpty)
                self.group.append(transaction)
                self.bytes += transaction.bytes
                return
            } catch let error as SendError where error.serverCode.map(Self.retriedErrors.contains) == true {
                attempt += 1
                guard attempt <= Self.retries else { throw error.error }
                try await self.reapplyGroup()
            }
        }
    }

    /// After a deadlock: rolls back and applies the open group again.
    private mutating func reapplyGroup() async throws {
        _ = try? await self.connection.query("ROLLBACK")
        var attempt = 0
        while true {
            do {
                for (number, transaction) in self.group.enumerated() {
                    try await self.send(transaction, opening: number == 0)
                }
                return
            } catch let error as SendError where error.serverCode.map(Self.retriedErrors.contains) == true {
                attempt += 1
                guard attempt <= Self.retries else { throw error.error }
                _ = try? await self.connection.query("ROLLBACK")
            }
        }
    }

    private func send(_ transaction: ParallelTransaction, opening: Bool) async throws {
        do {
            for (number, statement) in transaction.statements.enumerated() {
                try await self.execute(statement, after: opening && number == 0 ? "BEGIN;\n" : "")
            }
            if opening, transaction.statements.isEmpty { try await self.execute(Array("BEGIN".utf8)) }
        } catch let error as SendError {
            throw error.naming(transaction.name.isEmpty ? "" : "transaction \(transaction.name)")
        }
    }

    /// Commits the open group with its sequences recorded.
    private mutating func commit() async throws {
        guard !self.group.isEmpty else { return }
        let values = self.group.map { "(\($0.sequence))" }.joined(separator: ",")
        let statement = Array("INSERT INTO \(RestoreProgress.appliedTable) (seq) VALUES \(values);\nCOMMIT".utf8)
        var attempt = 0
        while true {
            do {
                try await self.execute(statement)
                break
            } catch let error as SendError where error.serverCode.map(Self.retriedErrors.contains) == true {
                attempt += 1
                guard attempt <= Self.retries else { throw error.error }
                try await self.reapplyGroup()
            }
        }
        let sequences = self.group.map(\.sequence)
        self.group.removeAll(keepingCapacity: true)
        self.bytes = 0
        await self.scheduler.committed(sequences)
        await RestoreApplier.pauseForTestsIfAsked(applied: await self.scheduler.lowWaterMark()?.sequence ?? 0)
    }

    /// Sends `prefix` and `statement` as one batch (one copy of the statement's bytes).
    private func execute(_ statement: [UInt8], after prefix: String = "") async throws {
        var batch = ByteBufferAllocator().buffer(capacity: prefix.utf8.count + statement.count)
        batch.writeString(prefix)
        batch.writeBytes(statement)
        do {
            _ = try await self.connection.query(bytes: batch)
        } catch let error as MySQLError {
            throw SendError(
                serverCode: error.serverError?.code,
                error: RestoreError(
                    .failed, "\(self.server) refused a replayed statement (worker \(self.index + 1)): \(error)"))
        }
    }
}
