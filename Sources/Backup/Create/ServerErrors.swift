import MySQLWire

/// Turns server refusals into ``BackupError``s that say what to grant or check.
enum ServerErrors {
    /// Server error numbers that mean a privilege is missing (and a refused login).
    static let privilegeCodes = ServerErrorCode.privilegeMissing.union([ServerErrorCode.accessDenied])

    /// Runs `body`, rewriting a ``MySQLError`` into a ``BackupError`` that names `step` and the server.
    static func during<T: Sendable>(_ step: String, server: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MySQLError {
            throw self.wrap(error, step: step, server: server)
        }
    }

    static func wrap(_ error: MySQLError, step: String, server: String) -> BackupError {
        if let serverError = error.serverError, self.privilegeCodes.contains(serverError.code) {
            return BackupError(
                .privilege,
                "\(step) on \(server) was refused: \(serverError.message) (error \(serverError.code)); grant the "
                    + "backup user the privilege it names (a backup needs RELOAD, SELECT, SHOW VIEW, TRIGGER, EVENT, "
                    + "PROCESS and BINLOG MONITOR (MariaDB) or BACKUP_ADMIN and REPLICATION CLIENT (MySQL); a load needs ALL on the restored databases)"
            )
        }
        return BackupError(.server, "\(step) on \(server) failed: \(error)")
    }
}
