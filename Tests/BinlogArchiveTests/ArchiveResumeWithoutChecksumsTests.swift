import Foundation
import RewindTestSupport
import Testing

/// A binlog without checksums (binlog_checksum=NONE): no CRC32 vouches for the archived tail, so a resume fetches
/// its last 64 KiB from the server again and compares; damage that keeps the file's size is found and replaced,
/// and the copy equals the server's byte for byte.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
struct ArchiveResumeWithoutChecksumsTests {
    @Test(.timeLimit(.minutes(10)))
    func damageInTheLastSixtyFourKibibytesIsFetchedAgain() async throws {
        let rewind = try ChildProcess.rewindExecutable
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-nocrc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        try await SandboxInstance.withInstance(named: "archive-nocrc", options: ["--binlog-checksum=NONE"]) { server in
            try await server.sql("CREATE DATABASE w; CREATE TABLE w.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)")
            for round in 1...40 {
                try await server.sql(
                    "INSERT INTO w.t (v) VALUES (REPEAT('r\(round)', 1000)), (REPEAT('s', \(round * 40)))")
            }
            let arguments = [
                rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory,
            ]
            let first = try ChildProcess(arguments, outputPath: log)
            #expect(await first.wait() == 0, "\(first.output)")
            let logs = try await server.binaryLogs()
            let last = try #require(logs.last)
            let ours = directory + "/" + last.name
            let theirs = server.binlogDirectory + "/" + last.name
            #expect(try ArchiveTestFiles.sha256(ours) == ArchiveTestFiles.sha256(theirs))
            try #require(last.size > 70_000, "the workload should fill more than 64 KiB")

            // Same size, different bytes: a flip 1,000 bytes before the end, and a zeroed run 30 KiB before it.
            let handle = try #require(FileHandle(forUpdatingAtPath: ours))
            try handle.seek(toOffset: last.size - 1000)
            try handle.write(contentsOf: Data([0x5A]))
            try handle.seek(toOffset: last.size - 30_000)
            try handle.write(contentsOf: Data(count: 100))
            try handle.close()
            #expect(try ArchiveTestFiles.sha256(ours) != ArchiveTestFiles.sha256(theirs))

            let second = try ChildProcess(arguments, outputPath: log)
            #expect(await second.wait() == 0, "\(second.output)")
            #expect(
                try ArchiveTestFiles.sha256(ours) == ArchiveTestFiles.sha256(theirs), "\(second.output.suffix(2000))")
            #expect(
                second.output.contains("partial_event_cut"), "the cut should be reported: \(second.output.suffix(2000))"
            )
        }
    }
}
