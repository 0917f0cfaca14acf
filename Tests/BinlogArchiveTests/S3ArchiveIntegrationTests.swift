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
    @Test(.timeLimit(.minutes(10)))
    func anArchiveInS3SurvivesKillsWithNeitherDuplicatesNorGaps() async throws {
        let schema = "CREATE DATABASE w; CREATE TABLE w.t (id INT AUTO_INCREMENT PRIMARY KEY, n INT, v TEXT)"
        try await S3ArchiveSetup.with("kill", schema: schema) { setup in
            let server = setup.server
            var archiver = try setup.startArchiver()
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
                    let second = try await setup.run(setup.archiveArguments)
                    #expect(second.status == 1)
                    #expect(second.text.contains("another archiver holds this prefix"), "\(second.text)")
                }
                archiver.signal(SIGKILL)
                #expect(await archiver.wait() == 128 + SIGKILL)
                archiver = try setup.startArchiver()
            }
            try await workload.value
            try await server.sql("FLUSH BINARY LOGS; INSERT INTO w.t (n) VALUES (-1)")
            // A trickle into the open file, each insert shipped before the next is written: the open file goes
            // out as several segments, however slow a loaded machine makes the archiver or moto (a trickle timed
            // against the upload interval could all arrive in one batch after a stall, in one segment).
            for round in 1...3 {
                try await server.sql("INSERT INTO w.t (n) VALUES (\(-1 - round))")
                try await setup.waitUntilTheOpenFileIsStored()
            }

            let logs = try await server.binaryLogs()
            #expect(logs.count >= 5, "only \(logs.count) binlog files; the workload should rotate more")
            try await setup.stopWhenStoredAndCheck(archiver)
        }
    }

    /// Starts scripts/s3-fault-proxy.py in front of `endpoint` (its log and port file in `scratch`); returns it and
    /// the port it listens on.
    static func startFaultProxy(endpoint: String, scratch: String) async throws -> (ChildProcess, port: String) {
        let root = FileManager.default.currentDirectoryPath
        let python = root + "/.venv-s3/bin/python"
        try #require(FileManager.default.isExecutableFile(atPath: python), "needs .venv-s3 (scripts/s3-sandbox start)")
        let portFile = scratch + "/port"
        let proxy = try ChildProcess(
            [python, root + "/scripts/s3-fault-proxy.py", endpoint, portFile],
            outputPath: scratch + "/proxy.log"
        )
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: portFile) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let port = try? String(contentsOfFile: portFile, encoding: .utf8)
        if port == nil {
            proxy.signal(SIGKILL)
            await proxy.wait()
        }
        return (proxy, try #require(port, "the fault proxy did not start: \(proxy.output)"))
    }

    /// Issue #13, acceptance 2: between the archiver and the store, a proxy fails, drops, stalls and loses the
    /// answers of requests (scripts/s3-fault-proxy.py); the archive goes on and ends identical to the server's files.
    @Test(.timeLimit(.minutes(10)))
    func anArchiveThroughFailingDroppedAndStalledRequestsEndsIdentical() async throws {
        let schema = "CREATE DATABASE f; CREATE TABLE f.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)"
        try await S3ArchiveSetup.with("faults", schema: schema) { setup in
            let (proxy, port) = try await Self.startFaultProxy(endpoint: setup.s3.endpoint, scratch: setup.scratch)
            var environment = setup.s3.childEnvironment
            environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:\(port)"
            do {
                let archiver = try setup.startArchiver(environment: environment)
                var random = SplitMix64(seed: 0xFA17)
                for round in 1...100 {
                    let size = Int.random(in: 10...3000, using: &random)
                    try await setup.server.sql(
                        round % 25 == 0 ? "FLUSH BINARY LOGS" : "INSERT INTO f.t (v) VALUES (REPEAT('z', \(size)))"
                    )
                    try await Task.sleep(for: .milliseconds(30))
                }
                for round in 1...8 {
                    try await setup.server.sql("INSERT INTO f.t (v) VALUES ('trickle \(round)')")
                    try await Task.sleep(for: .milliseconds(400))
                }
                let logs = try await setup.server.binaryLogs()
                #expect(logs.count >= 4, "only \(logs.count) binlog files; the workload should rotate more")
                // Retries and stalls hold the archiver up: the open file may go out in one segment.
                try await setup.stopWhenStoredAndCheck(archiver, openFileInSeveralSegments: false)
            } catch {
                proxy.signal(SIGKILL)
                await proxy.wait()
                throw error
            }
            proxy.signal(SIGKILL)  // a test tool with nothing to clean up (and SIGTERM may be blocked in children)
            await proxy.wait()
            let faults = proxy.output
            let count = { (kind: String) in faults.components(separatedBy: "fault=\(kind) ").count - 1 }
            print("archive through faults: \(["500", "drop", "lost-answer", "stall"].map { "\($0) \(count($0))" })")
            for kind in ["500", "drop", "lost-answer", "stall"] {
                #expect(count(kind) >= 1, "the proxy injected no \(kind) fault:\n\(faults)")
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func readersGiveTheSameAnswersFromS3AsFromADirectory() async throws {
        let schema = "CREATE DATABASE r; CREATE TABLE r.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)"
        try await S3ArchiveSetup.with("read", schema: schema) { setup in
            let (server, url, s3) = (setup.server, setup.url, setup.s3)
            let directory = setup.scratch + "/dir"
            let cache = setup.scratch + "/cache"
            let backups = setup.scratch + "/backups"
            for round in 1...40 {
                try await server.sql(
                    round % 15 == 0 ? "FLUSH BINARY LOGS" : "INSERT INTO r.t (v) VALUES (REPEAT('x', \(round * 50)))"
                )
                if round == 10 {  // a backup in the middle, so that `window` has a chain to check
                    let backup = try await setup.run(
                        ["backup", "create", "--defaults-file", server.defaultsFile ?? "", "--to", backups])
                    #expect(backup.status == 0, "\(backup.text)")
                }
            }
            try await server.sql("DELETE FROM r.t")  // something the timeline flags, and flashback undoes
            let deleteGTID = try await server.sql("SELECT @@gtid_binlog_pos").trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            for target in [directory, url] {
                let run = try await setup.run(
                    ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", target])
                #expect(run.status == 0, "\(target): \(run.text)")
            }
            // Without --follow everything is shipped, the open file's tail included: the cache joins it whole.
            let logs = try await server.binaryLogs()
            let fromDirectory = try await setup.run(["timeline", "--binlogs", directory, "--format", "json"])
            let fromS3 = try await setup.run(["timeline", "--binlogs", url, "--cache-dir", cache, "--format", "json"])
            #expect(fromDirectory.status == 0 && fromS3.status == fromDirectory.status, "\(fromS3.text.prefix(2000))")
            #expect(fromS3.text == fromDirectory.text)
            #expect(fromDirectory.text.contains("no_where"), "the DELETE without WHERE should be flagged")
            let joined = cache + "/" + s3.bucket + "/" + setup.prefix
            for file in logs {
                #expect(
                    try ArchiveTestFiles.sha256(joined + file.name)
                        == ArchiveTestFiles.sha256(server.binlogDirectory + "/" + file.name),
                    "\(file.name)"
                )
            }
            for format in ["text", "json"] {
                let windowDirectory = try await setup.run(
                    ["window", "--backups", backups, "--binlogs", directory, "--format", format])
                let windowS3 = try await setup.run(
                    ["window", "--backups", backups, "--binlogs", url, "--cache-dir", cache, "--format", format])
                #expect(windowDirectory.status == 0 && windowS3.status == 0, "\(windowDirectory.text)")
                #expect(windowS3.text == windowDirectory.text, "\(windowS3.text)\n---\n\(windowDirectory.text)")
            }
            // flashback of the DELETE: the same undo script from either archive.
            let undoDirectory = try await setup.run(["flashback", "--binlogs", directory, "--only", deleteGTID])
            let undoS3 = try await setup.run([
                "flashback", "--binlogs", url, "--cache-dir", cache, "--only", deleteGTID,
            ])
            #expect(undoDirectory.status == 0 && undoS3.status == 0, "\(undoS3.text.prefix(2000))")
            #expect(undoDirectory.text.contains("INSERT INTO"), "\(undoDirectory.text.prefix(2000))")
            #expect(undoS3.text == undoDirectory.text)
            // restore's plan (a dry run beside the live data): the same from either archive, paths aside.
            let backupID = try #require(
                try FileManager.default.contentsOfDirectory(atPath: backups).first { $0.first?.isNumber == true }
            )
            var plans: [String] = []
            for (source, extra) in [(directory, [String]()), (url, ["--cache-dir", cache])] {
                let plan = try await setup.run(
                    [
                        "restore", "--backup", backups + "/" + backupID, "--binlogs", source, "--dry-run",
                        "--into-database", "r=r_copy", "--defaults-file", server.defaultsFile ?? "",
                    ] + extra
                )
                #expect(plan.status == 0, "\(plan.text.prefix(3000))")
                plans.append(
                    plan.text.replacingOccurrences(of: source == url ? joined : directory + "/", with: "ARCHIVE/")
                )
            }
            #expect(plans[0] == plans[1], "\(plans[0])\n---\n\(plans[1])")
            #expect(plans[0].contains("r_copy.t (from r.t)") && plans[0].contains("passed the checks"), "\(plans[0])")
            // A server whose binlog was reset is refused, as for a directory, with the way out.
            try await server.sql("RESET MASTER; INSERT INTO r.t (v) VALUES ('after reset')")
            let reset = try await setup.run(
                ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", url])
            #expect(reset.status == 1)
            #expect(reset.text.contains("RESET MASTER") && reset.text.contains("S3 prefix"), "\(reset.text)")
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func wrongCredentialsAndAMissingBucketFailNamingTheBucket() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let rewind = try ChildProcess.rewindExecutable
        let prefix = S3ArchiveSetup.prefix("denied")
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
        let left = try await s3.withClient { client in
            try await client.listObjects(bucket: s3.bucket, prefix: prefix)
        }
        #expect(left.isEmpty, "\(left.map(\.key))")
    }
}
