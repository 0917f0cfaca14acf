import MySQLWire

/// Opens one consistent snapshot in every worker connection of a MySQL 8 server, under a brief global read lock.
///
/// The caller holds `LOCK INSTANCE FOR BACKUP` (no DDL) for the whole backup. Here the control connection takes
/// `FLUSH TABLES WITH READ LOCK` with a short `lock_wait_timeout` (no commit can happen while it is held), reads the
/// binlog coordinates (`SHOW BINARY LOG STATUS`, or `SHOW MASTER STATUS` before 8.2) and `@@GLOBAL.gtid_executed`,
/// lets every worker run `START TRANSACTION WITH CONSISTENT SNAPSHOT`, and runs `UNLOCK TABLES`: every snapshot
/// then sees the state at those coordinates. A request that times out (a long-running statement keeps tables
/// open, and every write would queue behind the waiting lock) is given up, the process list is read to name what
/// it waited for, and the request is repeated after a growing pause; after ``ReadLockPolicy/attempts`` the backup
/// is refused with those statements named.
enum MySQLSnapshot {
    /// `ER_LOCK_WAIT_TIMEOUT`.
    static let lockWaitTimeout = ServerErrorCode.lockWaitTimeout

    static func open(
        workers: [MySQLConnection],
        control: MySQLConnection,
        binaryLogStatus: Bool,
        policy: ReadLockPolicy,
        server: String,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws -> OpenSnapshot {
        try await DumpSession.prepare(workers, server: server)
        let waitSeconds = max(1, policy.waitSeconds)
        _ = try await ServerErrors.during("setting lock_wait_timeout", server: server) {
            try await control.query("SET SESSION lock_wait_timeout = \(waitSeconds)")
        }
        var backoff = policy.backoff
        var blockers: [RunningStatement] = []
        let attempts = max(1, policy.attempts)
        for attempt in 1...attempts {
            let requested = ContinuousClock.now
            do {
                _ = try await control.query("FLUSH TABLES WITH READ LOCK")
            } catch let error as MySQLError where error.serverError?.code == Self.lockWaitTimeout {
                blockers = try await ServerErrors.during("reading the process list", server: server) {
                    try await control.rows(RunningStatement.query).map(RunningStatement.init(row:))
                }
                let waited = blockers.first.map { "; it waited for \($0)" } ?? ""
                guard attempt < attempts else { break }
                report(
                    .warning(
                        "FLUSH TABLES WITH READ LOCK on \(server) was not granted within \(waitSeconds) s "
                            + "(attempt \(attempt) of \(attempts))\(waited); trying again in \(backoff)"
                    )
                )
                try await Task.sleep(for: backoff)
                backoff *= 2
                continue
            } catch let error as MySQLError {
                throw ServerErrors.wrap(error, step: "FLUSH TABLES WITH READ LOCK", server: server)
            }
            let locked = ContinuousClock.now
            let binlog: BinlogCoordinates?
            let gtid: String?
            do {
                binlog = try await self.coordinates(control, binaryLogStatus: binaryLogStatus, server: server)
                gtid = try await ServerErrors.during("reading @@GLOBAL.gtid_executed", server: server) {
                    try await control.rows("SELECT @@GLOBAL.gtid_executed").first?[0].string
                }
                try await DumpSession.startSnapshots(workers, server: server)
            } catch {
                _ = try? await control.query("UNLOCK TABLES")  // the connection closes next, which also releases it
                throw error
            }
            _ = try await ServerErrors.during("UNLOCK TABLES", server: server) {
                try await control.query("UNLOCK TABLES")
            }
            let held = ContinuousClock.now - locked
            report(
                .step(
                    "read lock held \(Int(held / .milliseconds(1))) ms after waiting \(Int((locked - requested) / .milliseconds(1))) ms"
                )
            )
            _ = try await ServerErrors.during("resetting lock_wait_timeout", server: server) {
                try await control.query("SET SESSION lock_wait_timeout = @@GLOBAL.lock_wait_timeout")
            }
            return OpenSnapshot(
                binlog: binlog,
                gtidSet: gtid.flatMap { $0.isEmpty ? nil : $0 },
                attempts: attempt,
                lockHeld: held
            )
        }
        let named =
            blockers.isEmpty
            ? "no other statement was running when it timed out (look for a long transaction holding table locks, "
                + "LOCK TABLES, or another backup)"
            : "the longest-running statements: " + blockers.map(\.description).joined(separator: "; ")
        let kill = blockers.first.map { " (KILL \($0.connectionID))" } ?? ""
        throw BackupError(
            .lockTimeout,
            "FLUSH TABLES WITH READ LOCK on \(server) was not granted in \(attempts) attempts of \(waitSeconds) s: "
                + "waiting longer would stall every write on the server behind the lock; \(named). Let it finish or "
                + "stop it\(kill), then run the backup again, or allow a longer stall with --lock-wait-timeout"
        )
    }

    /// Whether the server did not know the statement (MySQL before 8.2 has no `SHOW BINARY LOG STATUS`).
    private static func isParseError(_ error: MySQLError) -> Bool {
        error.serverError?.code == ServerErrorCode.parseError
    }

    /// The binlog file and position, under the read lock; `nil` when the binlog is off (an empty result).
    private static func coordinates(
        _ control: MySQLConnection,
        binaryLogStatus: Bool,
        server: String
    ) async throws -> BinlogCoordinates? {
        var rows: [MySQLRow]
        do {
            rows = try await control.rows(binaryLogStatus ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS")
        } catch let error as MySQLError where binaryLogStatus && Self.isParseError(error) {
            rows = try await ServerErrors.during("SHOW MASTER STATUS", server: server) {
                try await control.rows("SHOW MASTER STATUS")
            }
        } catch let error as MySQLError {
            throw ServerErrors.wrap(error, step: "reading the binlog coordinates", server: server)
        }
        guard let row = rows.first, let file = row[0].string, !file.isEmpty else { return nil }
        return BinlogCoordinates(file: file, position: row[1].uint64 ?? 0)
    }
}
