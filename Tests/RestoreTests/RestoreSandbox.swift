import Backup
import BackupStorage
import Foundation
import Logging
import MySQLWire
import RewindTestSupport
import Testing

let testLogger = Logger(label: "rewind.tests.restore")

extension SandboxServer {
    /// Runs SQL as root over the socket and returns the tab-separated output.
    @discardableResult
    func root(_ sql: String) async throws -> String {
        try await SandboxInstance.rootQuery(sql, socket: self.socket ?? "")
    }

    /// Runs `sql` as root and returns the GTID it was logged with (`@@last_gtid`).
    func gtid(_ sql: String) async throws -> String {
        try await self.root(sql + "; SELECT @@last_gtid").trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n").last.map(String.init) ?? ""
    }

    /// `mariadb` as root over the socket, as a shell command line.
    var client: String { "mariadb --no-defaults --socket=\(self.socket ?? "") -uroot --max-allowed-packet=1G" }

    /// Every row of every table of `database`, ordered, as text (the independent comparison: the server's own
    /// output, with the database name left out so that renamed copies compare).
    func rows(_ database: String) async throws -> String {
        let tables = try await self.root(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(database)' ORDER BY 1"
        )
        .split(separator: "\n").map(String.init)
        var text = ""
        for table in tables {
            let create = try await self.root("SHOW CREATE TABLE `\(database)`.`\(table)`")
            let columns = try await self.root(
                "SELECT GROUP_CONCAT(CONCAT('`', COLUMN_NAME, '`') ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS "
                    + "WHERE TABLE_SCHEMA = '\(database)' AND TABLE_NAME = '\(table)'"
            )
            .trimmingCharacters(in: .whitespacesAndNewlines)
            let hexed = columns.split(separator: ",").map { "HEX(\($0))" }.joined(separator: ", ")
            text += "== \(table)\n\(create)\n"
            text += try await self.root("SELECT \(hexed) FROM `\(database)`.`\(table)` ORDER BY 1")
        }
        return text
    }

    /// `SHOW MASTER STATUS`: the current binlog file and position.
    func position() async throws -> (file: String, offset: UInt64) {
        let fields = try await self.root("SHOW MASTER STATUS").split(separator: "\t")
        return (String(fields[0]), UInt64(fields[1])!)
    }

    /// The last GTID logged in domain 0.
    func lastGTID() async throws -> String {
        try await self.root("SELECT @@gtid_binlog_pos").trimmingCharacters(in: .whitespacesAndNewlines)
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

/// Runs `rewind ARGS`; returns the exit status and the combined output. With the S3 sandbox set up, the child gets
/// its credentials, region and endpoint (for backups in `s3://…`).
func rewind(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-restore-\(UUID()).log").path
    defer { try? FileManager.default.removeItem(atPath: log) }
    let process = try ChildProcess(
        [try ChildProcess.rewindExecutable] + arguments, outputPath: log,
        environment: try? S3Sandbox.fromEnvironment().childEnvironment)
    let status = await process.wait()
    return (status, process.output)
}

/// Takes a backup of `databases` on `server` into `catalog` (named `location` on a command line); returns the
/// backup's location (`DIR/<id>` or `s3://bucket/prefix/<id>`).
func takeBackup(
    _ server: SandboxServer, databases: [String], catalog: any BackupStore, location: String
) async throws -> String {
    let manifest = try await BackupCreator.create(
        options: BackupCreateOptions(
            catalog: catalog, threads: 2, databases: databases, chunkBytes: 64 << 10, rewindVersion: "test"),
        configuration: server.configuration(), logger: testLogger)
    return location + "/" + manifest.id
}

/// Takes a backup of `databases` on `server` into the directory `catalog`; returns the backup directory.
func takeBackup(_ server: SandboxServer, databases: [String], catalog: String) async throws -> String {
    try await takeBackup(server, databases: databases, catalog: DirectoryBackupStore(path: catalog), location: catalog)
}

/// Copies the backup `id` of `catalog` to `catalog/copies/<id>` and flips a byte in the middle of its first chunk;
/// returns the copy's location (rewind never overwrites a chunk: the test does, on a copy).
func damagedCopy(of id: String, in catalog: any BackupStore, location: String) async throws -> String {
    let original = catalog.descending(into: id)
    let copy = catalog.descending(into: "copies").descending(into: id)
    var chunk: String?
    for path in try await original.files().keys.sorted() {
        var bytes = try #require(try await original.read(path))
        if chunk == nil, path.hasSuffix(".zst") {
            chunk = path
            bytes[bytes.count / 2] ^= 0xFF
        }
        try await copy.write(bytes, to: path, replacing: true)
    }
    try #require(chunk != nil, "the backup has no chunk")
    return location + "/copies/" + id
}

let restoreSuitesEnabled = SandboxServer.shouldRun
