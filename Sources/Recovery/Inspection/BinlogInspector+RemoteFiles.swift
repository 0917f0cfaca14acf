import Logging
import MySQLWire

extension BinlogInspector {
    /// The server's binlog files to read for `requested`, checked against `SHOW BINARY LOGS` so that a wrong
    /// name gets the list of the names the server has (rather than the server's bare error 1236).
    ///
    /// - Parameters:
    ///   - toLastLog: read from the first requested file to the server's last one (`mysqlbinlog --to-last-log`).
    /// - Throws: ``RecoveryError`` naming the server and its files when a requested file is not among them, or
    ///   when the list cannot be read and `toLastLog` needs it; ``MySQLError`` when the server cannot be reached.
    public static func remoteFiles(
        _ requested: [String], toLastLog: Bool, configuration: MySQLConnection.Configuration, logger: Logger
    ) async throws -> [String] {
        let listed: [String]?
        do {
            listed = try await MySQLConnection.withConnection(configuration: configuration, logger: logger) {
                try await $0.rows("SHOW BINARY LOGS").compactMap { $0[0].string }
            }
        } catch let error as MySQLError where error.code == .server {
            // Without BINLOG MONITOR / REPLICATION CLIENT the list is not ours to see: the dump itself will say.
            guard !toLastLog else {
                throw RecoveryError(
                    reason: "--to-last-log needs the server's list of binlogs, and SHOW BINARY LOGS failed: \(error); "
                        + "grant REPLICATION CLIENT (MySQL) or BINLOG MONITOR (MariaDB), or name every file",
                    path: configuration.endpoint.description)
            }
            listed = nil
        }
        guard let listed else { return requested }
        let available = Set(listed)
        if let missing = requested.first(where: { !available.contains($0) }) {
            let names: String
            if let first = listed.first, let last = listed.last {
                names =
                    listed.count <= 8 ? listed.joined(separator: ", ") : "\(first) … \(last) (\(listed.count) files)"
            } else {
                names = "no binlog files (binary logging is off)"
            }
            throw RecoveryError(
                reason: "the server has no binlog \(missing); it has \(names) (SHOW BINARY LOGS): "
                    + "give one of those names",
                path: configuration.endpoint.description)
        }
        guard toLastLog, let first = requested.first, let start = listed.firstIndex(of: first) else { return requested }
        return Array(listed[start...])
    }
}
