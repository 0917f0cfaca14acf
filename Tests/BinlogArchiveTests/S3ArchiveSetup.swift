import Foundation
import ObjectCodec
import RewindTestSupport
import Testing

/// What an S3 archive integration test of the `rewind` binary starts from: the S3 sandbox, a fresh prefix of its
/// bucket, a scratch directory, and a MariaDB instance of the test's own whose binlogs rotate every 64 KiB, holding
/// the schema the test writes to. ``with(_:schema:_:)`` stops the instance and removes the scratch directory.
struct S3ArchiveSetup {
    var s3: S3Sandbox
    var rewind: String
    /// `it-LABEL-XXXXXXXX/`, new for each test.
    var prefix: String
    var scratch: String
    var server: SandboxServer

    /// The archive's URL: `s3://BUCKET/PREFIX`.
    var url: String { "s3://\(self.s3.bucket)/\(self.prefix)" }
    /// Where the archiver's output goes.
    var log: String { self.scratch + "/archive.log" }

    /// `binlog archive` of the instance to ``url`` with heartbeats, back-off and uploads every second (no
    /// `--follow`).
    var archiveArguments: [String] {
        [
            "binlog", "archive", "--defaults-file", self.server.defaultsFile ?? "", "--to", self.url,
            "--heartbeat", "1", "--max-backoff", "1", "--upload-interval", "1",
        ]
    }

    /// A fresh prefix of the bucket, `it-LABEL-XXXXXXXX/`.
    static func prefix(_ label: String) -> String { "it-\(label)-\(UUID().uuidString.lowercased().prefix(8))/" }

    /// Starts instance `s3-LABEL`, runs `schema` on it and `body` with the setup; then stops the instance and
    /// removes the scratch directory.
    static func with(_ label: String, schema: String, _ body: (S3ArchiveSetup) async throws -> Void) async throws {
        let s3 = try S3Sandbox.fromEnvironment()
        let rewind = try ChildProcess.rewindExecutable
        let scratch = try ArchiveTestFiles.temporaryDirectory("s3-\(label)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await SandboxInstance.withInstance(named: "s3-\(label)", options: ["--max-binlog-size=65536"]) { server in
            try await server.sql(schema)
            try await body(
                S3ArchiveSetup(s3: s3, rewind: rewind, prefix: Self.prefix(label), scratch: scratch, server: server))
        }
    }

    /// Waits (up to 60 s) until the server's newest binlog file is stored in the bucket to its current end.
    func waitUntilTheOpenFileIsStored(encoded: Bool = false) async throws {
        let open = try #require(try await self.server.binaryLogs().last)
        try await self.s3.withClient { client in
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let stored = try await S3ArchiveChecks.storedSizes(
                    client: client, bucket: self.s3.bucket, prefix: self.prefix, encoded: encoded)
                if stored[open.name] == open.size { return }
                try await Task.sleep(for: .milliseconds(200))
            }
            Issue.record("\(open.name) was not stored to its end (\(open.size) bytes) within 60 s")
        }
    }

    /// Starts `rewind` ``archiveArguments`` `--follow` and `extra`, its output to ``log``, with the sandbox's
    /// credentials unless `environment` is given.
    func startArchiver(_ extra: [String] = [], environment: [String: String]? = nil) throws -> ChildProcess {
        try ChildProcess(
            [self.rewind] + self.archiveArguments + ["--follow"] + extra,
            outputPath: self.log,
            environment: environment ?? self.s3.childEnvironment
        )
    }

    /// Runs `rewind arguments…` to its end with the sandbox's credentials unless `environment` is given.
    func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> ChildProcess.Finished {
        try await ChildProcess.runCapturing(
            self.rewind, arguments, environment: environment ?? self.s3.childEnvironment)
    }

    /// ``S3ArchiveChecks/stopWhenStoredAndCheck(archiver:log:server:s3:prefix:openFileInSeveralSegments:codec:)``
    /// on this setup's instance, bucket and prefix.
    func stopWhenStoredAndCheck(
        _ archiver: ChildProcess,
        openFileInSeveralSegments: Bool = true,
        codec: ObjectCodec? = nil
    ) async throws {
        try await S3ArchiveChecks.stopWhenStoredAndCheck(
            archiver: archiver,
            log: self.log,
            server: self.server,
            s3: self.s3,
            prefix: self.prefix,
            openFileInSeveralSegments: openFileInSeveralSegments,
            codec: codec
        )
    }
}
