import Foundation

/// Connection facts of the MariaDB sandbox that `scripts/sandbox start` runs (see `scripts/sandbox env`).
package struct SandboxServer: Sendable {
    package var host: String
    package var port: Int
    package var user: String
    package var password: String
    package var socket: String?
    package var binlogDirectory: String
    package var defaultsFile: String?

    /// The sandbox from `REWIND_MYSQL_*`, or `nil` when they are not set.
    package static var fromEnvironment: SandboxServer? {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["REWIND_MYSQL_HOST"], let portText = env["REWIND_MYSQL_PORT"], let port = Int(portText)
        else { return nil }
        var password = env["REWIND_MYSQL_PASSWORD"] ?? ""
        if let file = env["REWIND_MYSQL_PASSWORD_FILE"],
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        {
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return SandboxServer(
            host: host, port: port, user: env["REWIND_MYSQL_USER"] ?? "rewind", password: password,
            socket: env["REWIND_MYSQL_SOCKET"], binlogDirectory: env["REWIND_MYSQL_BINLOG_DIR"] ?? "",
            defaultsFile: env["REWIND_MYSQL_DEFAULTS_FILE"])
    }

    /// Whether tests that need the sandbox should run: always under CI (and fail there if it is missing).
    package static var shouldRun: Bool { fromEnvironment != nil || Fixtures.isCI }
}
