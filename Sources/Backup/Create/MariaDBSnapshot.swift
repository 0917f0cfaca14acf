import MySQLWire

/// Opens one consistent snapshot in every worker connection of a MariaDB server, without a commit lock.
///
/// Each worker runs `START TRANSACTION WITH CONSISTENT SNAPSHOT` at the same time and reads its
/// `binlog_snapshot_file`/`binlog_snapshot_position` (MariaDB takes the snapshot and those coordinates atomically,
/// under the commit-order lock). Equal coordinates mean no transaction committed between the snapshots, so they
/// all see the same data: the snapshot of those coordinates. Otherwise every worker rolls back and the round is
/// repeated. DDL is blocked meanwhile by the caller's `BACKUP STAGE BLOCK_DDL`.
enum MariaDBSnapshot {
    static func open(
        workers: [MySQLConnection],
        control: MySQLConnection,
        maximumAttempts: Int,
        server: String
    ) async throws -> OpenSnapshot {
        try await DumpSession.prepare(workers, server: server)
        for attempt in 1...max(1, maximumAttempts) {
            let coordinates = try await withThrowingTaskGroup(of: BinlogCoordinates?.self) { group in
                for worker in workers {
                    group.addTask {
                        try await ServerErrors.during("START TRANSACTION WITH CONSISTENT SNAPSHOT", server: server) {
                            _ = try await worker.query("START TRANSACTION WITH CONSISTENT SNAPSHOT")
                            let rows = try await worker.rows("SHOW STATUS LIKE 'binlog_snapshot_%'")
                            var file = ""
                            var position: UInt64 = 0
                            for row in rows {
                                switch row[0].string {
                                case "Binlog_snapshot_file": file = row[1].string ?? ""
                                case "Binlog_snapshot_position": position = row[1].uint64 ?? 0
                                default: break
                                }
                            }
                            return file.isEmpty ? nil : BinlogCoordinates(file: file, position: position)
                        }
                    }
                }
                var all: [BinlogCoordinates?] = []
                for try await coordinates in group { all.append(coordinates) }
                return all
            }
            if let first = coordinates.first, coordinates.allSatisfy({ $0 == first }) {
                var gtid: String?
                if let first {
                    let rows = try await ServerErrors.during("BINLOG_GTID_POS()", server: server) {
                        try await control.rows(
                            "SELECT BINLOG_GTID_POS(\(SQLText.quoted(first.file)), \(first.position))"
                        )
                    }
                    gtid = rows.first?[0].string
                }
                return OpenSnapshot(binlog: first, gtidSet: gtid, attempts: attempt, lockHeld: .zero)
            }
            for worker in workers {
                _ = try await ServerErrors.during("ROLLBACK", server: server) { try await worker.query("ROLLBACK") }
            }
        }
        throw BackupError(
            .inconsistent,
            "the \(workers.count) dump connections to \(server) never opened their snapshots at the same binlog "
                + "position in \(maximumAttempts) rounds (commits arrive faster than snapshots open); try fewer "
                + "--threads or a quieter moment"
        )
    }
}
