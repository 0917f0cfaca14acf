import Crypto
import Foundation
import Logging
import MySQLWire
import RewindTestSupport
import Testing

let testLogger = Logger(label: "rewind.tests.archive")

extension SandboxServer {
    /// Runs SQL with the `mariadb` client (the instance's defaults file holds the password) and returns its output.
    @discardableResult
    func sql(_ text: String) async throws -> String {
        try await SandboxInstance.runOffPool(
            ["--defaults-file=\(self.defaultsFile ?? "")", "-N", "-B", "-e", text],
            executable: "mariadb"
        )
    }

    /// `SHOW BINARY LOGS` as (name, size) pairs.
    func binaryLogs() async throws -> [(name: String, size: UInt64)] {
        try await self.sql("SHOW BINARY LOGS").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let size = UInt64(fields[1]) else { return nil }
            return (String(fields[0]), size)
        }
    }
}

enum ArchiveTestFiles {
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-\(label)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func sha256(_ path: String) throws -> String {
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func size(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
    }
}
