import MySQLWire

/// `--apply`: runs a ``FlashbackPlan`` on the server, one transaction per original transaction, newest
/// first, and checks the affected-row count of every statement: 0 means the row changed since (a conflict,
/// left alone). By default the rest of that undo transaction is committed; with ``atomic`` the whole undo
/// transaction is rolled back when any of its rows conflicts.
public struct FlashbackApplier: Sendable {
    public var atomic: Bool

    public init(atomic: Bool) {
        self.atomic = atomic
    }

    /// What an apply did.
    public struct Report: Sendable, Equatable, Codable {
        /// Undo transactions committed.
        public var committed = 0
        /// Undo transactions rolled back (`--atomic` with a conflict).
        public var rolledBack = 0
        /// Rows changed back.
        public var rowsUndone = 0
        public var conflicts: [FlashbackConflict] = []
    }

    /// Runs `plan` through `executor`.
    ///
    /// - Throws: ``FlashbackError`` `.server` when a statement fails (its undo transaction is rolled back;
    ///   those before it stay committed), naming the original transaction and the row.
    public func apply(_ plan: FlashbackPlan, executor: some UndoExecutor) async throws -> Report {
        try plan.confirm()
        var report = Report()
        for statement in UndoScriptWriter.sessionStatements { _ = try await executor.execute(statement) }
        var reader = try plan.makeReader()
        var pending: [FlashbackConflict] = []
        var undone = 0
        while let item = try reader.next() {
            try Task.checkCancellation()
            switch item {
            case .begin:
                pending = []
                undone = 0
                _ = try await executor.execute("BEGIN")
            case .statement(let statement):
                try await self.run(statement, executor: executor, pending: &pending, undone: &undone)
            case .commit(let header):
                if self.atomic && !pending.isEmpty {
                    _ = try await executor.execute("ROLLBACK")
                    report.rolledBack += 1
                    report.conflicts += pending.map { conflict in
                        var copy = conflict
                        copy.transaction = header.name
                        copy.transactionApplied = false
                        return copy
                    }
                } else {
                    _ = try await executor.execute("COMMIT")
                    report.committed += 1
                    report.rowsUndone += undone
                    report.conflicts += pending.map { conflict in
                        var copy = conflict
                        copy.transaction = header.name
                        return copy
                    }
                }
            }
        }
        return report
    }

    private func run(
        _ statement: UndoStatement, executor: some UndoExecutor, pending: inout [FlashbackConflict], undone: inout Int
    ) async throws {
        let affected: UInt64
        var reason: String?
        do {
            affected = try await executor.execute(statement.sqlText)
        } catch let error as MySQLError where error.serverError?.code == ServerErrorCode.duplicateEntry {
            reason = error.serverError?.message
            // Another row took a unique value the undo would give back (a secondary unique key): that row
            // changed since, so this is a conflict, left alone. The server undid only this statement (InnoDB rolls
            // back a failed statement, not its transaction), so the rest of the undo transaction goes on.
            affected = 0
        } catch {
            _ = try? await executor.execute("ROLLBACK")
            throw FlashbackError(
                code: .server,
                reason: "the undo of \(statement.table) \(statement.key) failed, its undo transaction was rolled "
                    + "back (those before it stay committed): \(error)")
        }
        if affected > 0 {
            undone += 1
            return
        }
        var current: [ConflictValue]?
        if !statement.lookup.isEmpty {
            current = try await executor.firstRow(String(decoding: statement.lookup, as: UTF8.self))
        }
        let undo: String
        switch statement.kind {
        case .insert: undo = "insert"
        case .update: undo = "update"
        case .delete: undo = "delete"
        }
        if reason == nil, statement.kind == .insert, current == nil {
            // Its row is not there, so the guard that stopped the INSERT is one on another unique key.
            reason = "another row holds one of its unique key values now"
        }
        pending.append(
            FlashbackConflict(
                transaction: "", table: statement.table, key: statement.key, undo: undo, current: current,
                transactionApplied: true, reason: reason))
    }
}
