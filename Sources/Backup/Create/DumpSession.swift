import Checksum
import MySQLWire

/// The session of a dump connection, before it opens its snapshot.
enum DumpSession {
    /// Session settings of a dump worker: repeatable read, values as the row hash reads them, long timeouts.
    static let setup = [
        "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        TableChecksum.sessionSetup,
        "SET SESSION net_write_timeout = 3600, net_read_timeout = 3600, wait_timeout = 86400",
    ]

    /// Sends ``setup`` on every worker.
    static func prepare(_ workers: [MySQLConnection], server: String) async throws {
        for worker in workers {
            for statement in self.setup {
                _ = try await ServerErrors.during("preparing a dump connection", server: server) {
                    try await worker.query(statement)
                }
            }
        }
    }

    /// `START TRANSACTION WITH CONSISTENT SNAPSHOT` on every worker at once.
    static func startSnapshots(_ workers: [MySQLConnection], server: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask {
                    _ = try await ServerErrors.during("START TRANSACTION WITH CONSISTENT SNAPSHOT", server: server) {
                        try await worker.query("START TRANSACTION WITH CONSISTENT SNAPSHOT")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
