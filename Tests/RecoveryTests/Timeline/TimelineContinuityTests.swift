import Foundation
import Logging
import RewindTestSupport
import Testing

@testable import Recovery

/// Two files whose names follow each other but that two servers wrote: the timeline refuses to read them as one
/// history (the second file's GTID state does not hold the first file's last transaction). It used to list both.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/test starts it)"))
struct TimelineContinuityTests {
    @Test func filesOfTwoServersWithFollowingNamesAreRefused() async throws {
        try await SandboxInstance.withInstance(named: "tlc-a") { first in
            try await SandboxInstance.withInstance(named: "tlc-b") { second in
                func sql(_ server: SandboxServer, _ text: String) async throws -> String {
                    try await SandboxInstance.runOffPool(
                        ["--defaults-file=\(server.defaultsFile ?? "")", "-N", "-B", "-e", text], executable: "mariadb")
                }
                // Each writes in its current file, then rotates: A's file ends further along domain 0 than B's
                // next file starts.
                _ = try await sql(
                    first,
                    "CREATE DATABASE c; CREATE TABLE c.t (id INT PRIMARY KEY); "
                        + (1...6).map { "INSERT INTO c.t VALUES (\($0));" }.joined(separator: " "))
                _ = try await sql(second, "CREATE DATABASE c; CREATE TABLE c.t (id INT PRIMARY KEY)")
                let fileA = try await sql(first, "SHOW MASTER STATUS").split(separator: "\t")[0]
                let fileB = try await sql(second, "SHOW MASTER STATUS").split(separator: "\t")[0]
                #expect(fileA == fileB, "both sandboxes start at the same file number")
                _ = try await sql(first, "FLUSH BINARY LOGS; INSERT INTO c.t VALUES (7)")
                _ = try await sql(second, "FLUSH BINARY LOGS; INSERT INTO c.t VALUES (1)")
                let nextA = try await sql(first, "SHOW MASTER STATUS").split(separator: "\t")[0]
                let nextB = try await sql(second, "SHOW MASTER STATUS").split(separator: "\t")[0]
                #expect(nextA == nextB)

                // One server's files read as one history.
                let own = [first.binlogDirectory + "/\(fileA)", first.binlogDirectory + "/\(nextA)"]
                let separately = try await Self.count([own[0]]) + Self.count([own[1]])
                #expect(separately >= 9)  // CREATE DATABASE, CREATE TABLE, 7 INSERTs (and the sandbox's set-up)
                #expect(try await Self.count(own) == separately)
                // The other server's next file after this one's: refused, both files named.
                let mixed = [first.binlogDirectory + "/\(fileA)", second.binlogDirectory + "/\(nextB)"]
                let error = await #expect(throws: RecoveryError.self) { try await Self.count(mixed) }
                let text = error?.description ?? ""
                #expect(text.contains("\(nextB) does not continue \(fileA)"), "\(text)")
                #expect(text.contains("another server's, or the binlog was reset"), "\(text)")
            }
        }
    }

    static func count(_ paths: [String]) async throws -> Int {
        var count = 0
        _ = try await TimelineReader(filter: TimelineFilter()).read(
            .files(paths), logger: Logger(label: "test")
        ) { _ in count += 1 }
        return count
    }
}
