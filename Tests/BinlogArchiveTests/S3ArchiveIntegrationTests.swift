import Crypto
import Foundation
import NIOCore
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

#if canImport(Glibc)
import Glibc
#endif

/// Issue #13: `rewind binlog archive --to s3://…` against a real S3 API on loopback (moto, IAM checks on) and a
/// real MariaDB: byte-identical files once joined, no byte stored twice and no gap after SIGKILLs, the documented
/// layout, one archiver per prefix, clear failures, and readers that give the same answers as from a directory.
@Suite(
    .enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3ArchiveIntegrationTests {
    static func prefix(_ label: String) -> String { "it-\(label)-\(UUID().uuidString.lowercased().prefix(8))/" }

    @Test(.timeLimit(.minutes(5)))
    func anArchiveInS3SurvivesKillsWithNeitherDuplicatesNorGaps() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let rewind = try ChildProcess.rewindExecutable
        let prefix = Self.prefix("kill")
        let url = "s3://\(s3.bucket)/\(prefix)"
        let log = try ArchiveTestFiles.temporaryDirectory("s3-kill") + "/archive.log"
        try await SandboxInstance.withInstance(named: "s3-kill", options: ["--max-binlog-size=65536"]) { server in
            try await server.sql(
                "CREATE DATABASE w; CREATE TABLE w.t (id INT AUTO_INCREMENT PRIMARY KEY, n INT, v TEXT)"
            )
            let arguments = [
                rewind, "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", url, "--follow",
                "--heartbeat", "1", "--max-backoff", "1", "--upload-interval", "1",
            ]
            var archiver = try ChildProcess(arguments, outputPath: log, environment: s3.childEnvironment)
            let workload = Task {
                var random = SplitMix64(seed: 13)
                for round in 1...150 {
                    let size = Int.random(in: 10...3000, using: &random)
                    try await server.sql(
                        round % 30 == 0
                            ? "FLUSH BINARY LOGS"
                            : "INSERT INTO w.t (n, v) VALUES (\(round), REPEAT('é', \(size))); "
                                + "UPDATE w.t SET n = n + 1 WHERE id % 7 = \(round % 7)"
                    )
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            var random = SplitMix64(seed: 0x5133)
            for round in 1...3 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 800...2500, using: &random)))
                if round == 1 {
                    // A second archiver on the same prefix is refused while the first holds the lease.
                    let second = try await ChildProcess.runCapturing(
                        rewind,
                        Array(arguments.dropFirst().filter { $0 != "--follow" }),
                        environment: s3.childEnvironment
                    )
                    #expect(second.status == 1)
                    #expect(second.text.contains("another archiver holds this prefix"), "\(second.text)")
                }
                archiver.signal(SIGKILL)
                #expect(await archiver.wait() == 128 + SIGKILL)
                archiver = try ChildProcess(arguments, outputPath: log, environment: s3.childEnvironment)
            }
            try await workload.value
            try await server.sql("FLUSH BINARY LOGS; INSERT INTO w.t (n) VALUES (-1)")
            // A trickle into the open file for longer than the upload interval: it goes out as several segments.
            for round in 1...8 {
                try await server.sql("INSERT INTO w.t (n) VALUES (\(-1 - round))")
                try await Task.sleep(for: .milliseconds(400))
            }

            try await S3Client.withClient(
                try S3ClientConfiguration.fromEnvironment(s3.environment, endpoint: s3.endpoint)
            ) { client in
                // Wait until every file is in the bucket: the finished ones completed, the open one to its end.
                let logs = try await server.binaryLogs()
                let deadline = ContinuousClock.now + .seconds(60)
                var stored: [String: UInt64] = [:]
                while ContinuousClock.now < deadline {
                    stored = try await Self.storedSizes(client: client, bucket: s3.bucket, prefix: prefix)
                    if logs.allSatisfy({ stored[$0.name] == $0.size }) { break }
                    try await Task.sleep(for: .milliseconds(300))
                }
                archiver.signal(SIGTERM)
                let status = await archiver.wait()
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                #expect(status == 0, "exit \(status):\n\(output.suffix(3000))")
                #expect(logs.count >= 5, "only \(logs.count) binlog files; the workload should rotate more")

                let objects = try await client.listObjects(bucket: s3.bucket, prefix: prefix)
                let keys = objects.map { String($0.key.dropFirst(prefix.count)) }
                // The documented layout, and nothing else (the lease is gone after a clean stop).
                let layout =
                    #/^(rewind-archive\.json|binlogs/\d{10}/[^/]+\.\d+/(\d{20}\.(seg|json)|complete\.json)|gaps/[^/]+\.json)$/#
                #expect(
                    keys.allSatisfy { $0.wholeMatch(of: layout) != nil },
                    "\(keys.filter { $0.wholeMatch(of: layout) == nil })"
                )
                #expect(!keys.contains("lease.json"))
                for (position, file) in logs.enumerated() {
                    let theirs = try #require(
                        FileManager.default.contents(atPath: server.binlogDirectory + "/" + file.name)
                    )
                    let segments = objects.filter { $0.key.contains("/\(file.name)/") && $0.key.hasSuffix(".seg") }
                    let allKeys = Set(objects.map(\.key))
                    if position == logs.count - 1 {
                        #expect(segments.count >= 2, "the open file should have been shipped as several segments")
                    }
                    #expect(segments.allSatisfy { $0.size > 4 }, "\(file.name): a segment of the magic alone")
                    // No hole, no overlap, no byte twice: each segment starts where the one before ends, and the
                    // sizes add up to the server's file.
                    var end: UInt64 = 0
                    var joined = ByteBuffer()
                    for segment in segments {
                        let offset = UInt64(segment.key.split(separator: "/").last!.prefix(20))!
                        #expect(offset == end, "\(segment.key) starts at \(offset), the one before ends at \(end)")
                        #expect(allKeys.contains(segment.key.dropLast(4) + ".json"), "\(segment.key) has no manifest")
                        var bytes = try await client.getObject(bucket: s3.bucket, key: segment.key)
                        end += UInt64(bytes.readableBytes)
                        joined.writeBuffer(&bytes)
                    }
                    #expect(
                        end == UInt64(theirs.count),
                        "\(file.name): \(end) bytes stored, the server's has \(theirs.count)"
                    )
                    let completion = try? await client.getObject(
                        bucket: s3.bucket,
                        key: segments.first.map {
                            $0.key.components(separatedBy: "/").dropLast().joined(separator: "/") + "/complete.json"
                        } ?? "-"
                    )
                    if position < logs.count - 1 {
                        let manifest = try #require(completion, "\(file.name) has no completion manifest")
                        let decoded = try S3ArchiveObjects.decode(S3FileCompletion.self, manifest, key: file.name)
                        #expect(decoded.sha256 == SHA256.hex(of: joined))
                        #expect(decoded.entry.state == .complete && decoded.entry.size == UInt64(theirs.count))
                        if decoded.inUseFlagCleared {
                            joined.setInteger(joined.getInteger(at: 21, as: UInt8.self)! & ~1, at: 21)
                        }
                    } else {
                        #expect(completion == nil, "the open file has no completion manifest")
                    }
                    #expect(Array(joined.readableBytesView) == Array(theirs), "\(file.name) differs once joined")
                }
            }
        }
    }

    /// Each file's size as stored: the end of its last segment.
    static func storedSizes(client: S3Client, bucket: String, prefix: String) async throws -> [String: UInt64] {
        var sizes: [String: UInt64] = [:]
        for object in try await client.listObjects(bucket: bucket, prefix: prefix + "binlogs/")
        where object.key.hasSuffix(".seg") {
            let parts = object.key.split(separator: "/")
            let name = String(parts[parts.count - 2])
            let offset = UInt64(parts.last!.prefix(20)) ?? 0
            sizes[name] = max(sizes[name] ?? 0, offset + UInt64(object.size))
        }
        return sizes
    }

    @Test(.timeLimit(.minutes(3)))
    func readersGiveTheSameAnswersFromS3AsFromADirectory() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let rewind = try ChildProcess.rewindExecutable
        let url = "s3://\(s3.bucket)/\(Self.prefix("read"))"
        let directory = try ArchiveTestFiles.temporaryDirectory("s3-read")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = directory + "-cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        try await SandboxInstance.withInstance(named: "s3-read", options: ["--max-binlog-size=65536"]) { server in
            try await server.sql("CREATE DATABASE r; CREATE TABLE r.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)")
            for round in 1...40 {
                try await server.sql(
                    round % 15 == 0 ? "FLUSH BINARY LOGS" : "INSERT INTO r.t (v) VALUES (REPEAT('x', \(round * 50)))"
                )
            }
            try await server.sql("DELETE FROM r.t")  // something the timeline flags
            let env = s3.childEnvironment
            for target in [directory, url] {
                let run = try await ChildProcess.runCapturing(
                    rewind,
                    ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", target],
                    environment: env
                )
                #expect(run.status == 0, "\(target): \(run.text)")
            }
            // Without --follow everything is shipped, the open file's tail included: the cache joins it whole.
            let logs = try await server.binaryLogs()
            let fromDirectory = try await ChildProcess.runCapturing(
                rewind,
                ["timeline", "--binlogs", directory, "--format", "json"],
                environment: env
            )
            let fromS3 = try await ChildProcess.runCapturing(
                rewind,
                ["timeline", "--binlogs", url, "--cache-dir", cache, "--format", "json"],
                environment: env
            )
            #expect(fromDirectory.status == 0 && fromS3.status == fromDirectory.status, "\(fromS3.text.prefix(2000))")
            #expect(fromS3.text == fromDirectory.text)
            #expect(fromDirectory.text.contains("no_where"), "the DELETE without WHERE should be flagged")
            let joined = cache + "/" + s3.bucket + "/" + String(url.dropFirst("s3://\(s3.bucket)/".count))
            for file in logs {
                #expect(
                    try ArchiveTestFiles.sha256(joined + file.name)
                        == ArchiveTestFiles.sha256(server.binlogDirectory + "/" + file.name),
                    "\(file.name)"
                )
            }
            let backups = directory + "-backups"
            try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: backups) }
            for format in ["text", "json"] {
                let windowDirectory = try await ChildProcess.runCapturing(
                    rewind,
                    ["window", "--backups", backups, "--binlogs", directory, "--format", format],
                    environment: env
                )
                let windowS3 = try await ChildProcess.runCapturing(
                    rewind,
                    ["window", "--backups", backups, "--binlogs", url, "--cache-dir", cache, "--format", format],
                    environment: env
                )
                #expect(windowS3.status == windowDirectory.status)
                #expect(windowS3.text == windowDirectory.text, "\(windowS3.text)\n---\n\(windowDirectory.text)")
            }
            // A server whose binlog was reset is refused, as for a directory, with the way out.
            try await server.sql("RESET MASTER; INSERT INTO r.t (v) VALUES ('after reset')")
            let reset = try await ChildProcess.runCapturing(
                rewind,
                ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", url],
                environment: env
            )
            #expect(reset.status == 1)
            #expect(reset.text.contains("RESET MASTER") && reset.text.contains("S3 prefix"), "\(reset.text)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func wrongCredentialsAndAMissingBucketFailNamingTheBucket() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let rewind = try ChildProcess.rewindExecutable
        let prefix = Self.prefix("denied")
        let scratch = try ArchiveTestFiles.temporaryDirectory("s3-denied")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let wrong = scratch + "/credentials"
        let real = try String(contentsOfFile: s3.credentialsFile, encoding: .utf8)
        let tampered = real.split(separator: "\n").map { line in
            line.hasPrefix("aws_secret_access_key")
                ? "aws_secret_access_key = wrongwrongwrongwrongwrongwrong" : String(line)
        }.joined(separator: "\n")
        try tampered.write(toFile: wrong, atomically: true, encoding: .utf8)
        var env = s3.childEnvironment
        env["AWS_SHARED_CREDENTIALS_FILE"] = wrong
        // The store is opened before the server is reached, so no server is needed to see these fail.
        let server = ["--host", "127.0.0.1", "--port", "1", "--user", "nobody", "--no-defaults"]
        let denied = try await ChildProcess.runCapturing(
            rewind,
            ["binlog", "archive"] + server + ["--to", "s3://\(s3.bucket)/\(prefix)"],
            environment: env
        )
        #expect(denied.status == 1)
        #expect(denied.text.contains(s3.bucket) && denied.text.contains("check the credentials"), "\(denied.text)")
        #expect(!denied.text.contains("wrongwrong"), "the secret must not be printed")
        let missing = try await ChildProcess.runCapturing(
            rewind,
            ["binlog", "archive"] + server + ["--to", "s3://rewind-no-such-bucket-13/\(prefix)"],
            environment: s3.childEnvironment
        )
        #expect(missing.status == 1)
        #expect(
            missing.text.contains("rewind-no-such-bucket-13") && missing.text.contains("does not exist"),
            "\(missing.text)"
        )
        let reader = try await ChildProcess.runCapturing(
            rewind,
            ["timeline", "--binlogs", "s3://rewind-no-such-bucket-13/\(prefix)", "--cache-dir", scratch + "/c"],
            environment: s3.childEnvironment
        )
        #expect(reader.status != 0 && reader.text.contains("rewind-no-such-bucket-13"), "\(reader.text)")
        // Good credentials but no server: the run fails and leaves nothing behind (no index, no lease).
        let noServer = try await ChildProcess.runCapturing(
            rewind,
            ["binlog", "archive"] + server + ["--retries", "1", "--to", "s3://\(s3.bucket)/\(prefix)"],
            environment: s3.childEnvironment
        )
        #expect(noServer.status == 1 && noServer.text.contains("127.0.0.1:1"), "\(noServer.text)")
        // Nothing was recorded as archived.
        let configuration = try S3ClientConfiguration.fromEnvironment(s3.environment, endpoint: s3.endpoint)
        let left = try await S3Client.withClient(configuration) { client in
            try await client.listObjects(bucket: s3.bucket, prefix: prefix)
        }
        #expect(left.isEmpty, "\(left.map(\.key))")
    }
}
