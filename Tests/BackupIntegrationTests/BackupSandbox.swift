import Foundation
import Logging
import MySQLWire
import RewindTestSupport
import Testing

@testable import Backup

let testLogger = Logger(label: "rewind.tests.backup")

/// Helpers over the sandbox instances the acceptance tests start (`scripts/sandbox start <prefix>NAME`).
extension SandboxServer {
    /// Runs SQL as root over the socket and returns the tab-separated output.
    func root(_ sql: String) async throws -> String {
        try await SandboxInstance.rootQuery(sql, socket: self.socket ?? "")
    }

    /// The instance directory (`$REWIND_SANDBOX_ROOT/NAME`).
    var directory: String { (self.binlogDirectory as NSString).deletingLastPathComponent }

    /// `mariadb` as root over the socket, as a shell command line (no password involved).
    var client: String { "mariadb --no-defaults --socket=\(self.socket ?? "") -uroot --max-allowed-packet=1G" }

    /// `mariadb-dump` of `database` ordered by primary key, without dates, as text: the independent comparison.
    func dump(_ database: String) async throws -> String {
        try await shell(
            "mariadb-dump --no-defaults --socket=\(self.socket ?? "") -uroot --order-by-primary --skip-dump-date "
                + "--skip-comments --hex-blob --routines --triggers --events --max-allowed-packet=1G "
                + "--databases \(database)"
        )
    }
}

/// Runs a bash command line off the concurrency pool and returns its output; throws when it fails.
@discardableResult
func shell(_ command: String) async throws -> String {
    try await SandboxInstance.runOffPool(["-c", "set -o pipefail; " + command], executable: "bash")
}

/// A fresh directory under the system temporary directory.
func temporaryDirectory(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-\(name)-\(UUID())").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Whether the acceptance suites should run: with a sandbox-capable machine (mariadbd) or always under CI.
let backupSuitesEnabled = SandboxServer.shouldRun
