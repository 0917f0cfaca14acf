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

/// Shell command lines that read a backup with plain tools (no rewind): `zstd`, `python3`, and for S3 the AWS CLI
/// of `.venv-s3` pointed at the sandbox.
enum PlainTools {
    /// The environment assignments that point the AWS CLI at the S3 sandbox (file paths and the endpoint: no secret).
    static var awsEnvironment: String {
        get throws {
            let s3 = try S3Sandbox.fromEnvironment()
            return
                "AWS_SHARED_CREDENTIALS_FILE=\(s3.credentialsFile) AWS_REGION=us-east-1 AWS_ENDPOINT_URL=\(s3.endpoint)"
        }
    }

    /// The AWS CLI installed by `scripts/s3-sandbox`.
    static var aws: String { FileManager.default.currentDirectoryPath + "/.venv-s3/bin/aws" }

    /// A command line printing `file` of `backup` (a directory or `s3://…/<id>`).
    static func cat(_ kind: TestBackupStore, backup: String, file: String) throws -> String {
        switch kind {
        case .directory: "cat \"\(backup)/\(file)\""
        case .s3: "\(try self.awsEnvironment) \(self.aws) s3 cp \"\(backup)/\(file)\" - < /dev/null"
        }
    }

    /// A command line printing the SQL of every file of `load_order`, decompressed, in order (`zstd -dcf` passes
    /// the plain schema files through).
    static func loadOrderStream(_ kind: TestBackupStore, backup: String) throws -> String {
        let order =
            "\(try self.cat(kind, backup: backup, file: "manifest.json")) | python3 -c 'import json, sys; "
            + "print(\"\\n\".join(json.load(sys.stdin)[\"load_order\"]))'"
        return
            "\(order) | while read -r file; do \(try self.cat(kind, backup: backup, file: "$file")) | zstd -dcf; done"
    }
}
