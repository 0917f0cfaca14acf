import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #13: `rewind binlog archive --to s3://… --compress zstd --encryption-key-file K` against moto and a real
/// MariaDB: every segment stored compressed and encrypted (not the binlog's bytes), files byte-identical once
/// decoded and joined, also after a SIGKILL (the open file read back through the key), readers that answer as
/// from a directory with the key and refuse clearly without it or with another one.
@Suite(
    .enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3EncodedArchiveIntegrationTests {
    @Test(.timeLimit(.minutes(10)))
    func aCompressedEncryptedArchiveJoinsByteForByteAndNeedsItsKey() async throws {
        let schema = "CREATE DATABASE e; CREATE TABLE e.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)"
        try await S3ArchiveSetup.with("encoded", schema: schema) { setup in
            let (server, url, s3, scratch) = (setup.server, setup.url, setup.s3, setup.scratch)
            let keyHex = (0..<32).map { String(format: "%02x", ($0 * 89 + 5) % 256) }.joined()
            let keyFile = scratch + "/archive.key"
            try (keyHex + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            let key = try ObjectKey.load(path: keyFile)
            let otherKeyFile = scratch + "/other.key"
            try String(repeating: "ab", count: 32).write(toFile: otherKeyFile, atomically: true, encoding: .utf8)
            let cache = scratch + "/cache"
            let directory = scratch + "/dir"
            // The key from the environment first, then (after a SIGKILL) from the option.
            var withKey = s3.childEnvironment
            withKey[ObjectKey.environmentVariable] = keyFile
            var archiver = try setup.startArchiver(["--compress", "zstd"], environment: withKey)
            var random = SplitMix64(seed: 0xE5C)
            for round in 1...120 {
                let size = Int.random(in: 10...3000, using: &random)
                try await server.sql(
                    round % 30 == 0
                        ? "FLUSH BINARY LOGS"
                        : "INSERT INTO e.t (v) VALUES (CONCAT('row ', \(round), ' ', REPEAT('secret text ', \(size / 12))))"
                )
                if round == 70 {
                    archiver.signal(SIGKILL)
                    #expect(await archiver.wait() == 128 + SIGKILL)
                    archiver = try setup.startArchiver(["--compress", "zstd", "--encryption-key-file", keyFile])
                }
                try await Task.sleep(for: .milliseconds(25))
            }
            // Each insert shipped before the next: the open file goes out in several segments on a loaded machine too.
            for round in 1...3 {
                try await server.sql("INSERT INTO e.t (v) VALUES ('trickle \(round)')")
                try await setup.waitUntilTheOpenFileIsStored(encoded: true)
            }
            let logs = try await server.binaryLogs()
            #expect(logs.count >= 4, "only \(logs.count) binlog files; the workload should rotate more")
            try await setup.stopWhenStoredAndCheck(archiver, codec: ObjectCodec(compression: .zstd, key: key))
            let output = (try? String(contentsOfFile: setup.log, encoding: .utf8)) ?? ""
            #expect(!output.contains(keyHex), "the key must never be printed")
            // Compressed: the stored segments are smaller than the binlogs (the rows repeat a phrase).
            let stored = try await s3.withClient { client in
                try await client.listObjects(bucket: s3.bucket, prefix: setup.prefix + "binlogs/")
            }.filter { $0.key.hasSuffix(".seg") }.reduce(Int64(0)) { $0 + $1.size }
            let binlogBytes = logs.reduce(UInt64(0)) { $0 + $1.size }
            print("encoded archive: \(stored) bytes stored for \(binlogBytes) binlog bytes")
            #expect(stored * 2 < Int64(binlogBytes), "\(stored) stored for \(binlogBytes)")

            // Readers: with the key, the same timeline as from a directory archive of the same server.
            let plainRun = try await setup.run(
                ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", directory])
            #expect(plainRun.status == 0, "\(plainRun.text)")
            let fromDirectory = try await setup.run(["timeline", "--binlogs", directory, "--format", "json"])
            let fromS3 = try await setup.run(
                ["timeline", "--binlogs", url, "--cache-dir", cache, "--format", "json"], environment: withKey)
            #expect(fromS3.status == 0 && fromS3.text == fromDirectory.text, "\(fromS3.text.prefix(2000))")
            // Without the key, or with another one: refused, naming a segment and what to do.
            let noKey = try await setup.run(["timeline", "--binlogs", url, "--cache-dir", cache + "-none"])
            #expect(noKey.status == 1, "\(noKey.text)")
            #expect(noKey.text.contains(url) && noKey.text.contains(".seg"), "\(noKey.text)")
            #expect(noKey.text.contains("--encryption-key-file") && noKey.text.contains(key.id), "\(noKey.text)")
            let wrongKey = try await setup.run(
                ["timeline", "--binlogs", url, "--cache-dir", cache + "-wrong", "--encryption-key-file", otherKeyFile])
            #expect(wrongKey.status == 1 && wrongKey.text.contains("key id \(key.id)"), "\(wrongKey.text)")
            // The archiver itself cannot go on with the open file without the key.
            let resume = try await setup.run(
                ["binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", url])
            #expect(resume.status == 1 && resume.text.contains("is encrypted"), "\(resume.text)")
            // A bad key file is refused before anything is touched, naming the file and not its content.
            let badKeyFile = scratch + "/bad.key"
            try "not a key".write(toFile: badKeyFile, atomically: true, encoding: .utf8)
            let bad = try await setup.run(
                [
                    "binlog", "archive", "--defaults-file", server.defaultsFile ?? "", "--to", url,
                    "--encryption-key-file", badKeyFile,
                ])
            #expect(bad.status == 1 && bad.text.contains(badKeyFile) && !bad.text.contains("not a key"), "\(bad.text)")
        }
    }
}
