import BackupStorage
import Foundation
import ObjectStorage
import RewindTestSupport
import Testing

@testable import Backup

#if canImport(Glibc)
    import Glibc
#endif

/// Backups in S3 through the `rewind` command against a real S3 API (moto, IAM checks on): the documented layout, the
/// same catalog and answers as a directory, a backup killed mid-upload that stays incomplete and is pruned, and
/// clear failures for wrong credentials and a missing bucket. (The library-level tests of create, list, verify,
/// load, prune, window, restore and timeline run against both stores: `TestBackupStore`.)
@Suite(
    .serialized,
    .enabled(if: backupSuitesEnabled),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3BackupTests {
    /// Every key a backup may have below its catalog's prefix (docs/object-storage.md, "Backups in a bucket").
    static var layout: Regex<(Substring, Substring, Substring?)> {
        #/^\d{8}T\d{6}Z/(manifest\.json|session\.sql|grants\.sql|schema/views\.sql|schema/[^/]+/(database|routines|triggers|events)\.sql|schema/[^/]+/[^/]+\.table\.sql|data/[^/]+/[^/]+\.\d{5}\.sql\.zst)$/#
    }

    static func run(_ arguments: [String], environment: [String: String]) async throws -> ChildProcess.Finished {
        try await ChildProcess.runCapturing(try ChildProcess.rewindExecutable, arguments, environment: environment)
    }

    /// The keys below `prefix/` in the bucket, as `aws s3 ls --recursive` lists them (an independent client).
    static func listedKeys(_ s3: S3Sandbox, prefix: String) async throws -> [String] {
        let text = try await shell(
            "\(try PlainTools.awsEnvironment) \(PlainTools.aws) s3 ls --recursive s3://\(s3.bucket)/\(prefix)/"
        )
        return text.split(separator: "\n").compactMap { line in
            guard let key = line.split(separator: " ", omittingEmptySubsequences: true).last else { return nil }
            return String(key.dropFirst(prefix.count + 1))
        }.sorted()
    }

    static let shopSchema = """
        CREATE DATABASE shop;
        USE shop;
        CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), note TEXT);
        INSERT INTO orders SELECT seq, CONCAT('c', seq % 97), seq / 3, REPEAT('n', seq % 300) FROM seq_1_to_30000;
        CREATE TABLE nokey (a INT, b VARCHAR(10));
        INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (2, NULL);
        CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
        CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 5000;
        CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what) VALUES ('new');
        CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
        """

    @Test(.timeLimit(.minutes(10)))
    func aBackupInS3HasTheDocumentedLayoutAndAnswersAsADirectoryDoes() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let env = s3.childEnvironment
        try await SandboxInstance.withInstance(named: "bk-s3-src") { source in
            try await shell("\(source.client) <<'SQL'\n\(Self.shopSchema)\nSQL")
            let defaults = source.defaultsFile ?? ""
            try await TestBackupStore.directory.withCatalog("s3-layout-dir") { _, directory in
                try await TestBackupStore.s3.withCatalog("s3-layout") { _, url in
                    let prefix = String(url.dropFirst("s3://\(s3.bucket)/".count))
                    var ids: [String: String] = [:]
                    for catalog in [directory, url] {
                        let create = try await Self.run(
                            [
                                "backup", "create", "--defaults-file", defaults, "--to", catalog, "--database", "shop",
                                "--threads", "2",
                            ],
                            environment: env
                        )
                        #expect(create.status == 0, "\(create.text)")
                        ids[catalog] = create.text.split(separator: "\n").last.map(String.init)
                        try await Task.sleep(for: .seconds(1))  // the next backup's id is the next second
                    }
                    let s3ID = try #require(ids[url])
                    let directoryID = try #require(ids[directory])

                    // The documented layout and nothing else; the same files as the directory backup.
                    let keys = try await Self.listedKeys(s3, prefix: prefix)
                    #expect(!keys.isEmpty && keys.allSatisfy { $0.wholeMatch(of: Self.layout) != nil }, "\(keys)")
                    let inDirectory = try FileManager.default.subpathsOfDirectory(atPath: directory + "/" + directoryID)
                        .filter {
                            !$0.hasSuffix("/")
                                && !FileManager.default.isDirectory(directory + "/" + directoryID + "/" + $0)
                        }
                    #expect(
                        keys.map { String($0.dropFirst(s3ID.count + 1)) }.sorted() == inDirectory.sorted(),
                        "\(keys)\n\(inDirectory.sorted())"
                    )
                    #expect(keys.contains(s3ID + "/data/shop/orders.00001.sql.zst"))

                    // list, show and verify say the same of both (ids, times and paths aside).
                    let manifestJSON = try await shell(
                        try PlainTools.cat(.s3, backup: url + "/" + s3ID, file: "manifest.json")
                    )
                    let show = try await Self.run(
                        ["backup", "show", url + "/" + s3ID, "--format", "json"],
                        environment: env
                    )
                    #expect(show.status == 0, "\(show.text)")
                    let shown = try BackupManifest.decoder.decode(BackupManifest.self, from: Data(show.text.utf8))
                    #expect(
                        shown == (try BackupManifest.decoder.decode(BackupManifest.self, from: Data(manifestJSON.utf8)))
                    )
                    #expect(shown.state == .complete && shown.tables.count == 3)
                    for catalog in [directory, url] {
                        let list = try await Self.run(
                            ["backup", "list", catalog, "--format", "json"],
                            environment: env
                        )
                        #expect(list.status == 0, "\(list.text)")
                        #expect(
                            list.text.contains("\"state\" : \"complete\"")
                                || list.text.contains("\"state\":\"complete\""),
                            "\(list.text)"
                        )
                        #expect(list.text.contains(catalog + "/" + (ids[catalog] ?? "?")), "\(list.text)")
                        let verify = try await Self.run(
                            ["backup", "verify", catalog + "/" + (ids[catalog] ?? "")],
                            environment: env
                        )
                        #expect(verify.status == 0 && verify.text.contains("3 tables"), "\(verify.text)")
                    }

                    // Load from S3 (streamed) into a target, proved by `checksum --expect` on the backup in S3.
                    try await SandboxInstance.withInstance(named: "bk-s3-dst") { target in
                        let load = try await Self.run(
                            ["backup", "load", url + "/" + s3ID, "--defaults-file", target.defaultsFile ?? ""],
                            environment: env
                        )
                        #expect(load.status == 0, "\(load.text)")
                        #expect(try await target.dump("shop") == (try await source.dump("shop")))
                        let checksum = try await Self.run(
                            [
                                "checksum", "--defaults-file", target.defaultsFile ?? "", "--database", "shop",
                                "--expect", url + "/" + s3ID,
                            ],
                            environment: env
                        )
                        #expect(checksum.status == 0, "\(checksum.text)")
                    }

                    // The timeline and `binlog show -v` with --backup: the same from either backup (same schema,
                    // same row counts).
                    _ = try await source.root(
                        "FLUSH BINARY LOGS; DELETE FROM shop.orders WHERE id > 10000; FLUSH BINARY LOGS"
                    )
                    let files = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                        .map { source.binlogDirectory + "/" + String($0.split(separator: "\t")[0]) }
                    var timelines: [String] = []
                    var printed: [String] = []
                    for backup in [directory + "/" + directoryID, url + "/" + s3ID] {
                        let timeline = try await Self.run(
                            ["timeline", "--format", "json", "--backup", backup] + files.suffix(2).dropLast(),
                            environment: env
                        )
                        #expect(timeline.status == 0, "\(timeline.text)")
                        timelines.append(timeline.text)
                        let show = try await Self.run(
                            ["binlog", "show", "-v", "--backup", backup] + files.suffix(2).dropLast(),
                            environment: env
                        )
                        #expect(show.status == 0, "\(show.text.suffix(2000))")
                        printed.append(show.text)
                    }
                    #expect(timelines[0] == timelines[1])
                    #expect(timelines[1].contains("large_share"), "\(timelines[1])")
                    #expect(printed[0] == printed[1])
                    #expect(
                        printed[1].contains("/* customer */"),
                        "column names from the backup: \(printed[1].prefix(3000))"
                    )
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func aBackupKilledMidUploadStaysIncompleteAndIsPruned() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let env = s3.childEnvironment
        try await SandboxInstance.withInstance(named: "bk-s3-kill") { source in
            // 96 MiB of random bytes: chunks that do not compress, so each is a multipart upload of several parts. (With
            // 48 MiB the backup could finish before the poll below, on a test pool busy with the rest of the suite,
            // saw an upload in progress.)
            _ = try await source.root(
                "CREATE DATABASE big; CREATE TABLE big.small (id INT PRIMARY KEY); INSERT INTO big.small VALUES (1); "
                    + "CREATE TABLE big.blobs (id INT PRIMARY KEY, b VARBINARY(1024)); "
                    + "INSERT INTO big.blobs SELECT seq, RANDOM_BYTES(1024) FROM big.seq_1_to_96000"
            )
            let defaults = source.defaultsFile ?? ""
            try await TestBackupStore.s3.withCatalog("s3-kill") { catalog, url in
                let prefix = String(url.dropFirst("s3://\(s3.bucket)/".count)) + "/"
                let first = try await Self.run(
                    ["backup", "create", "--defaults-file", defaults, "--to", url, "--table", "big.small"],
                    environment: env
                )
                #expect(first.status == 0, "\(first.text)")
                let completeID = try #require(first.text.split(separator: "\n").last.map(String.init))
                try await Task.sleep(for: .seconds(1))

                let scratch = try temporaryDirectory("s3-kill")
                defer { try? FileManager.default.removeItem(atPath: scratch) }
                let child = try ChildProcess(
                    [
                        try ChildProcess.rewindExecutable, "backup", "create", "--defaults-file", defaults, "--to", url,
                        "--database", "big", "--threads", "1",
                    ],
                    outputPath: scratch + "/create.log",
                    environment: env
                )
                // Kill it once a chunk is being uploaded in parts.
                var uploading = false
                let deadline = ContinuousClock.now + .seconds(120)
                try await s3.withClient { client in
                    while !uploading && ContinuousClock.now < deadline {
                        uploading = !(try await client.listMultipartUploads(bucket: s3.bucket, prefix: prefix).isEmpty)
                        if !uploading { try await Task.sleep(for: .milliseconds(50)) }
                    }
                }
                child.signal(SIGKILL)
                #expect(await child.wait() == 128 + SIGKILL)
                #expect(uploading, "no multipart upload was seen before the deadline:\n\(child.output)")

                let entries = try await BackupCatalog.list(catalog)
                #expect(entries.map(\.state) == ["complete", "incomplete"], "\(entries.map(\.id))")
                let killedID = try #require(entries.last?.id)
                #expect(entries.last?.manifest?.writer?.pid == child.pid)
                let list = try await Self.run(["backup", "list", url], environment: env)
                #expect(list.status == 0 && list.text.contains("incomplete"), "\(list.text)")

                // Never used: verify and restore refuse it.
                let verify = try await Self.run(["backup", "verify", url + "/" + killedID], environment: env)
                #expect(verify.status == 1 && verify.text.contains("incomplete"), "\(verify.text)")
                try await SandboxInstance.withInstance(named: "bk-s3-kill-dst", options: ["--skip-log-bin"]) { target in
                    let restore = try await Self.run(
                        [
                            "restore", "--backup", url + "/" + killedID, "--binlogs", source.binlogDirectory,
                            "--defaults-file", target.defaultsFile ?? "",
                        ],
                        environment: env
                    )
                    #expect(restore.status == 2 && restore.text.contains("incomplete"), "\(restore.text)")
                    #expect(try await target.root("SHOW DATABASES LIKE 'big'").isEmpty)
                }

                // prune removes it (its writer is gone), unfinished uploads included; the complete one stays.
                let prune = try await Self.run(["backup", "prune", url, "--keep", "1"], environment: env)
                #expect(prune.status == 0 && prune.text.contains("removed backup \(killedID)"), "\(prune.text)")
                let keys = try await Self.listedKeys(s3, prefix: String(prefix.dropLast()))
                #expect(keys.allSatisfy { $0.hasPrefix(completeID + "/") } && !keys.isEmpty, "\(keys)")
                let uploads = try await s3.withClient { client in
                    try await client.listMultipartUploads(bucket: s3.bucket, prefix: prefix)
                }
                #expect(uploads.isEmpty, "\(uploads)")
            }
        }
    }

    /// `backup prune --binlogs s3://…` through the command, on an archive the archiver wrote to the bucket: the files
    /// before the kept backup's binlog file go (every object of theirs), the file it starts in, the later ones and
    /// the open one stay; `window` still reads the archive, the archiver goes on from where it was, and a second
    /// prune removes nothing more.
    @Test(.timeLimit(.minutes(10)))
    func pruneRemovesTheArchivedFilesNoKeptBackupNeeds() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let env = s3.childEnvironment
        try await SandboxInstance.withInstance(named: "bk-s3-prune") { source in
            let defaults = source.defaultsFile ?? ""
            _ = try await source.root(
                "CREATE DATABASE p; CREATE TABLE p.t (id INT PRIMARY KEY); INSERT INTO p.t VALUES (1)")
            try await TestBackupStore.s3.withCatalog("s3-prune") { catalog, url in
                let archive = url + "/archive/"
                let archivePrefix = String(archive.dropFirst("s3://\(s3.bucket)/".count))
                var ids: [String] = []
                for row in 2...3 {
                    let backup = try await Self.run(
                        ["backup", "create", "--defaults-file", defaults, "--to", url, "--database", "p"],
                        environment: env
                    )
                    #expect(backup.status == 0, "\(backup.text)")
                    ids.append(try #require(backup.text.split(separator: "\n").last.map(String.init)))
                    _ = try await source.root("FLUSH BINARY LOGS; INSERT INTO p.t VALUES (\(row))")
                    try await Task.sleep(for: .seconds(1))  // backup ids are seconds
                }
                let archived = try await Self.run(
                    ["binlog", "archive", "--defaults-file", defaults, "--to", archive],
                    environment: env
                )
                #expect(archived.status == 0, "\(archived.text)")
                let serverFiles = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                    .compactMap { $0.split(separator: "\t").first.map(String.init) }
                let needed = try #require(
                    try await BackupManifest.read(from: catalog.descending(into: ids[1])).binlog?.file)
                let doomed = serverFiles.filter { $0 < needed }
                #expect(!doomed.isEmpty && serverFiles.count > doomed.count + 1, "\(serverFiles), needed \(needed)")
                let fileNames = {
                    Set(
                        try await Self.listedKeys(s3, prefix: archivePrefix + "binlogs").compactMap {
                            $0.split(separator: "/").dropLast().last.map(String.init)
                        })
                }
                #expect(try await fileNames() == Set(serverFiles))

                let prune = try await Self.run(
                    ["backup", "prune", url, "--keep", "1", "--binlogs", archive],
                    environment: env
                )
                #expect(prune.status == 0, "\(prune.text)")
                #expect(prune.text.contains("removed backup \(ids[0])"), "\(prune.text)")
                for name in doomed { #expect(prune.text.contains("removed binlog \(name)"), "\(prune.text)") }
                #expect(try await fileNames() == Set(serverFiles.filter { $0 >= needed }))

                let scratch = try temporaryDirectory("s3-prune")
                defer { try? FileManager.default.removeItem(atPath: scratch) }
                let window = try await Self.run(
                    ["window", "--backups", url, "--binlogs", archive, "--cache-dir", scratch], environment: env)
                #expect(window.status == 0 && window.text.contains(ids[1]), "\(window.text)")
                _ = try await source.root("INSERT INTO p.t VALUES (4)")
                let resumed = try await Self.run(
                    ["binlog", "archive", "--defaults-file", defaults, "--to", archive],
                    environment: env
                )
                #expect(resumed.status == 0, "\(resumed.text)")
                let again = try await Self.run(
                    ["backup", "prune", url, "--keep", "1", "--binlogs", archive],
                    environment: env
                )
                #expect(again.status == 0 && !again.text.contains("removed binlog"), "\(again.text)")
            }
        }
    }

    /// `--encryption-key-file` (or `REWIND_ENCRYPTION_KEY_FILE`) encrypts every object of a backup in S3; every
    /// command that reads it needs the key, and says so without it.
    @Test(.timeLimit(.minutes(10)))
    func anEncryptedBackupIsReadOnlyWithItsKey() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let scratch = try temporaryDirectory("s3-encrypted")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyFile = scratch + "/backup.key"
        try (String(repeating: "5a", count: 32) + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        let plain = s3.childEnvironment
        var withKey = plain
        withKey["REWIND_ENCRYPTION_KEY_FILE"] = keyFile
        try await SandboxInstance.withInstance(named: "bk-s3-enc") { source in
            try await shell("\(source.client) <<'SQL'\n\(Self.shopSchema)\nSQL")
            try await TestBackupStore.s3.withCatalog("s3-encrypted") { _, url in
                let create = try await Self.run(
                    [
                        "backup", "create", "--defaults-file", source.defaultsFile ?? "", "--to", url, "--database",
                        "shop",
                        "--encryption-key-file", keyFile,
                    ],
                    environment: plain
                )
                #expect(create.status == 0, "\(create.text)")
                let id = try #require(create.text.split(separator: "\n").last.map(String.init))
                // Nothing is stored in plain: every object begins with the codec's header.
                let prefix = String(url.dropFirst("s3://\(s3.bucket)/".count)) + "/"
                try await s3.withClient { client in
                    let objects = try await client.listObjects(bucket: s3.bucket, prefix: prefix)
                    #expect(objects.count > 5)
                    for object in objects {
                        let head = try await client.getObject(bucket: s3.bucket, key: object.key, range: 0...7)
                        #expect(
                            Array(buffer: head) == [0x89, 0x52, 0x57, 0x4F, 0x0D, 0x0A, 0x1A, 0x0A], "\(object.key)")
                    }
                }
                let verifyWithout = try await Self.run(["backup", "verify", url + "/" + id], environment: plain)
                #expect(verifyWithout.status == 1, "\(verifyWithout.text)")
                #expect(verifyWithout.text.contains("encryption-key-file"), "\(verifyWithout.text)")
                let verify = try await Self.run(["backup", "verify", url + "/" + id], environment: withKey)
                #expect(verify.status == 0 && verify.text.contains("3 tables"), "\(verify.text)")
                let list = try await Self.run(["backup", "list", url, "--format", "json"], environment: withKey)
                #expect(list.text.contains("complete"), "\(list.text)")
                try await SandboxInstance.withInstance(named: "bk-s3-enc-dst") { target in
                    let load = try await Self.run(
                        ["backup", "load", url + "/" + id, "--defaults-file", target.defaultsFile ?? ""],
                        environment: withKey
                    )
                    #expect(load.status == 0, "\(load.text)")
                    #expect(try await target.dump("shop") == (try await source.dump("shop")))
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func wrongCredentialsAndAMissingBucketFailNamingTheBucket() async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let scratch = try temporaryDirectory("s3-denied")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let wrong = scratch + "/credentials"
        let real = try String(contentsOfFile: s3.credentialsFile, encoding: .utf8)
        try real.split(separator: "\n").map { line in
            line.hasPrefix("aws_secret_access_key")
                ? "aws_secret_access_key = wrongwrongwrongwrongwrongwrong" : String(line)
        }.joined(separator: "\n").write(toFile: wrong, atomically: true, encoding: .utf8)
        var denied = s3.childEnvironment
        denied["AWS_SHARED_CREDENTIALS_FILE"] = wrong
        let prefix = "it-s3-denied-\(UUID().uuidString.lowercased().prefix(8))"
        let missingBucket = "rewind-no-such-bucket-13"
        // The store is checked before any server is reached: none is needed to see these fail.
        let server = ["--host", "127.0.0.1", "--port", "1", "--user", "nobody", "--no-defaults"]
        let commands: [(String) -> [String]] = [
            { ["backup", "create"] + server + ["--to", "s3://\($0)/\(prefix)"] },
            { ["backup", "list", "s3://\($0)/\(prefix)"] },
            { ["backup", "show", "s3://\($0)/\(prefix)/20300101T000000Z"] },
            { ["backup", "verify", "s3://\($0)/\(prefix)/20300101T000000Z"] },
            { ["backup", "load", "s3://\($0)/\(prefix)/20300101T000000Z"] + server },
            { ["backup", "prune", "s3://\($0)/\(prefix)", "--keep", "1"] },
            { ["window", "--backups", "s3://\($0)/\(prefix)", "--binlogs", scratch] },
            { ["restore", "--backup", "s3://\($0)/\(prefix)/20300101T000000Z", "--binlogs", scratch] + server },
        ]
        for command in commands {
            let refused = try await Self.run(command(s3.bucket), environment: denied)
            #expect(refused.status != 0, "\(command(s3.bucket)): \(refused.text)")
            #expect(
                refused.text.contains(s3.bucket) && refused.text.contains("check the credentials"),
                "\(command(s3.bucket)): \(refused.text)"
            )
            #expect(!refused.text.contains("wrongwrong"), "the secret must not be printed")
            let missing = try await Self.run(command(missingBucket), environment: s3.childEnvironment)
            #expect(missing.status != 0, "\(command(missingBucket)): \(missing.text)")
            #expect(
                missing.text.contains(missingBucket)
                    && (missing.text.contains("does not exist") || missing.text.contains("NoSuchBucket")),
                "\(command(missingBucket)): \(missing.text)"
            )
        }
        // Good credentials but no server: the backup fails before writing anything (no manifest, so nothing that
        // could pass for a backup).
        let noServer = try await Self.run(
            ["backup", "create"] + server + ["--to", "s3://\(s3.bucket)/\(prefix)"],
            environment: s3.childEnvironment
        )
        #expect(noServer.status == 1 && noServer.text.contains("127.0.0.1:1"), "\(noServer.text)")
        let left = try await s3.withClient { client in
            try await client.listObjects(bucket: s3.bucket, prefix: prefix + "/")
        }
        #expect(left.isEmpty, "\(left.map(\.key))")
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return self.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
