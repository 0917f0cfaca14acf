import Flashback
import Foundation
import Logging
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

let testLogger = Logger(label: "rewind.tests.flashback")

extension SandboxServer {
    /// The server's binlog files, oldest first, as paths.
    func binlogPaths(_ connection: MySQLConnection) async throws -> [String] {
        try await connection.rows("SHOW BINARY LOGS").compactMap { $0[0].string }.map {
            self.binlogDirectory + "/" + $0
        }
    }

    /// `mariadb-dump --order-by-primary --skip-extended-insert` of `tables` of `database`: one INSERT per row,
    /// sorted (a table without a key has no order), with the database name taken out.
    func dump(_ database: String, tables: [String]) async throws -> [String] {
        let socket = try #require(self.socket)
        let text = try await SandboxInstance.runOffPool(
            [
                "--no-defaults", "--socket=\(socket)", "-uroot", "--order-by-primary", "--skip-extended-insert",
                "--compact", "--no-create-info", "--hex-blob", "--skip-triggers", database,
            ] + tables,
            executable: "mariadb-dump")
        return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("INSERT") }.sorted()
    }

    /// Runs a SQL script with the `mariadb` client, as `mysql < undo.sql` would.
    /// Runs the script at `path` (a temporary file of ``writeScript(_:minimal:)``), then removes it.
    func runScript(_ path: String) async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let socket = try #require(self.socket)
        // On standard input, as `mysql < undo.sql`: the client stops at the first error and exits 1 (with
        // `-e "source FILE"` it prints the error but exits 0, which would hide a failed undo).
        _ = try await SandboxInstance.runOffPool(
            ["-c", "exec mariadb --no-defaults --socket='\(socket)' -uroot < '\(path)'"], executable: "bash")
    }
}

/// Runs `body` with a sandbox server of its own (`name`, started for the test and removed after it) and a connection
/// to it.
func withServer<Result: Sendable>(
    named name: String, options: [String] = [], _ body: (SandboxServer, MySQLConnection) async throws -> Result
) async throws -> Result {
    try await SandboxInstance.withInstance(named: name, options: options) { server in
        try await MySQLConnection.withConnection(configuration: server.configuration(), logger: testLogger) {
            connection in
            try await body(server, connection)
        }
    }
}

extension MySQLConnection {
    /// Runs `sql` as one transaction and returns its GTID (MariaDB's `@@last_gtid`).
    func transaction(_ sql: String) async throws -> TransactionID {
        _ = try await self.query("BEGIN; " + sql + "; COMMIT")
        let text = try #require(try await self.rows("SELECT @@last_gtid").first?[0].string)
        return try #require(TransactionID(text))
    }
}

/// The undo SQL of `plan` as text.
func scriptText(_ plan: FlashbackPlan, minimal: Bool = false) throws -> String {
    var bytes: [UInt8] = []
    try UndoScriptWriter().write(plan, minimal: minimal) { bytes += $0 }
    return String(decoding: bytes, as: UTF8.self)
}

/// The undo SQL of `plan` in a temporary file (``SandboxServer/runScript(_:)`` removes it).
func writeScript(_ plan: FlashbackPlan, minimal: Bool = false) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("undo-\(UUID().uuidString).sql").path
    var bytes: [UInt8] = []
    try UndoScriptWriter().write(plan, minimal: minimal) { bytes += $0 }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}
