import Foundation
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real row event of over 120 MiB (a LONGBLOB row; the server sends it as eight 16 MiB packets and more) archived
/// by `rewind binlog archive`, to a directory and to S3: byte-identical to the server's files, and the process's
/// peak memory stays under 100 MB (the event goes to its file, or up in parts, as it arrives).
@Suite(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
struct ArchiveLongRowEventIntegrationTests {
    static let memoryLimit = 100 * 1024 * 1024
    /// 16 bytes repeated: over 120 MiB, not a multiple of the 8 MiB parts or of the 16 MiB packets.
    static let blobRepeats = 7_900_000

    /// Runs `rewind arguments…` under ``PeakMemory`` until it ends; returns the child (ended), its exit status,
    /// output and peak RSS.
    static func run(
        _ arguments: [String],
        log: String,
        environment: [String: String]? = nil
    ) async throws -> (
        child: ChildProcess, status: Int32, output: String, peak: Int
    ) {
        let child = try ChildProcess(
            PeakMemory.command([try ChildProcess.rewindExecutable] + arguments),
            outputPath: log,
            environment: environment
        )
        let status = await child.wait()
        let output = child.output
        let peak = try #require(PeakMemory.peakResidentBytes(in: output), "\(output)")
        return (child, status, output, peak)
    }

    @Test(.timeLimit(.minutes(10)))
    func aRowEventOfOverAHundredMegabytesIsArchivedByteForByteInBoundedMemory() async throws {
        let scratch = try ArchiveTestFiles.temporaryDirectory("long-row")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await SandboxInstance.withInstance(named: "archive-long-row", options: ["--max-allowed-packet=1G"]) {
            server in
            // MyISAM: InnoDB refuses a BLOB over a tenth of its redo log (the sandbox's is 64 MiB).
            try await server.sql(
                "CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, b LONGBLOB) ENGINE=MyISAM; "
                    + "INSERT INTO big.t VALUES (1, 'before'); "
                    + "INSERT INTO big.t VALUES (2, REPEAT('0123456789abcdef', \(Self.blobRepeats))); "
                    + "INSERT INTO big.t VALUES (3, 'after')"
            )
            let length = try await server.sql("SELECT LENGTH(b) FROM big.t WHERE id = 2")
            #expect(length.trimmingCharacters(in: .whitespacesAndNewlines) == "\(16 * Self.blobRepeats)")
            let logs = try await server.binaryLogs()
            let largest = try #require(logs.map(\.size).max())
            #expect(largest > UInt64(16 * Self.blobRepeats), "the row went to the binlog: \(logs)")
            let connection = ["--defaults-file", server.defaultsFile ?? ""]

            // To a directory.
            let directory = scratch + "/archive"
            let local = try await Self.run(
                ["binlog", "archive"] + connection + ["--to", directory],
                log: scratch + "/directory.log"
            )
            print("long row event to a directory: exit \(local.status), peak RSS \(local.peak / 1_048_576) MiB")
            #expect(local.status == 0, "\(local.output.suffix(3000))")
            #expect(local.peak > 1 << 20, "no plausible peak measured")
            #expect(local.peak < Self.memoryLimit, "peak RSS \(local.peak / 1_048_576) MiB")
            for file in logs {
                let theirs = try ArchiveTestFiles.sha256(server.binlogDirectory + "/" + file.name)
                let ours = try ArchiveTestFiles.sha256(directory + "/" + file.name)
                #expect(ours == theirs, "\(file.name) differs from the server's")
            }

            // To S3.
            guard S3Sandbox.shouldRun else { return }
            let s3 = try S3Sandbox.fromEnvironment()
            let prefix = "it-long-row-\(UUID().uuidString.lowercased().prefix(8))/"
            let log = scratch + "/s3.log"
            let remote = try await Self.run(
                ["binlog", "archive"] + connection + ["--to", "s3://\(s3.bucket)/\(prefix)"],
                log: log,
                environment: s3.childEnvironment
            )
            print("long row event to S3: exit \(remote.status), peak RSS \(remote.peak / 1_048_576) MiB")
            #expect(remote.status == 0, "\(remote.output.suffix(3000))")
            #expect(remote.peak > 1 << 20, "no plausible peak measured")
            #expect(remote.peak < Self.memoryLimit, "peak RSS \(remote.peak / 1_048_576) MiB")
            // Layout, segments, manifests, and every file equal to the server's once joined.
            try await S3ArchiveChecks.stopWhenStoredAndCheck(
                archiver: remote.child,
                log: log,
                server: server,
                s3: s3,
                prefix: prefix,
                openFileInSeveralSegments: false
            )
        }
    }
}
