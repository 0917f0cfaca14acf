import Foundation
import NIOCore
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// What only S3 has: a prune cut short between the DELETEs of one file (killed, a DELETE that failed for good)
/// leaves that file marked, every reader takes it as gone, and the next prune finishes it. The prune semantics
/// shared with a directory are tested against both stores in `BackupCatalogTests`.
@Suite(.enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"))
struct S3ArchivePrunerTests {
    struct CutShort: Error {}

    @Test func aPruneCutShortLeavesTheFileMarkedAndTheNextOneFinishesIt() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        let prefix = "it-prune-\(UUID().uuidString.lowercased().prefix(8))/"
        let location = S3Location(bucket: sandbox.bucket, prefix: prefix)
        let layout = S3ArchiveLayout(location: location)
        let files = TestArchiveFiles([
            ("mysql-bin.000001", true), ("mysql-bin.000002", true), ("mysql-bin.000003", false),
        ])
        try await sandbox.withClient { client in
            do {
                try await files.write(bucket: sandbox.bucket, prefix: prefix, client: client)
                let listing = {
                    S3ArchiveListing(
                        try await client.listObjects(bucket: sandbox.bucket, prefix: layout.binlogsPrefix),
                        layout: layout
                    )
                }
                // The first DELETE succeeds, the second fails for good.
                let deletes = Counter()
                let failing = S3ArchivePruner(
                    location: location,
                    client: client,
                    afterDelete: { _ in if deletes.next() == 2 { throw CutShort() } }
                )
                await #expect(throws: CutShort.self) {
                    try await failing.prune(before: BinlogFileName("mysql-bin.000003")!, dryRun: false)
                }
                var now = try await listing()
                // mysql-bin.000001 is marked and half gone: no reader sees it; the index no longer names it.
                #expect(now.files[1]?.keys.sorted() == ["mysql-bin.000002", "mysql-bin.000003"])
                #expect(now.pruning[1]?.keys.sorted() == ["mysql-bin.000001"])
                #expect(now.serverIDs == [1])
                let marker = layout.pruningKey(serverID: 1, file: "mysql-bin.000001")
                #expect(try await client.headObject(bucket: sandbox.bucket, key: marker) != nil)
                let index = try await client.getObject(bucket: sandbox.bucket, key: layout.indexKey)
                #expect(
                    try ArchiveIndex.decode(Data(index.readableBytesView)).files.map(\.name) == ["mysql-bin.000003"]
                )

                // The next prune, keeping more, still finishes the marked file, and removes nothing else.
                let pruner = S3ArchivePruner(location: location, client: client)
                let removed = try await pruner.prune(before: BinlogFileName("mysql-bin.000001")!, dryRun: false)
                #expect(removed == ["mysql-bin.000001"])
                now = try await listing()
                #expect(now.pruning.isEmpty)
                #expect(now.files[1]?.keys.sorted() == ["mysql-bin.000002", "mysql-bin.000003"])
                let left = try await client.listObjects(
                    bucket: sandbox.bucket,
                    prefix: layout.filePrefix(serverID: 1, file: "mysql-bin.000001")
                )
                #expect(left.isEmpty)
                // The open file is never removed, even before the oldest file needed.
                let last = try await pruner.prune(before: BinlogFileName("mysql-bin.000009")!, dryRun: false)
                #expect(last == ["mysql-bin.000002"])
                #expect(try await listing().files[1]?.keys.sorted() == ["mysql-bin.000003"])
                try await sandbox.removeEverything(under: prefix, client: client)
            } catch {
                try? await sandbox.removeEverything(under: prefix, client: client)
                throw error
            }
        }
    }

    /// A store opened after a prune drops the finished files whose objects are gone from its index (a running
    /// archiver had written them back).
    @Test func aStoreOpenedAfterAPruneForgetsThePrunedFiles() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        let configuration = try S3ClientConfiguration.fromEnvironment(sandbox.environment, endpoint: sandbox.endpoint)
        let prefix = "it-prune-index-\(UUID().uuidString.lowercased().prefix(8))/"
        let location = S3Location(bucket: sandbox.bucket, prefix: prefix)
        let files = TestArchiveFiles([
            ("mysql-bin.000001", true), ("mysql-bin.000002", true), ("mysql-bin.000003", false),
        ])
        try await S3Client.withClient(configuration) { client in
            try await files.write(bucket: sandbox.bucket, prefix: prefix, client: client)
            let layout = S3ArchiveLayout(location: location)
            for key in try await client.listObjects(
                bucket: sandbox.bucket, prefix: layout.filePrefix(serverID: 1, file: "mysql-bin.000001"))
            {
                try await client.deleteObject(bucket: sandbox.bucket, key: key.key)
            }
            let names = try await ArchiverThread.run {
                let store = try S3ArchiveStore(location: location, client: client, uploadInterval: .seconds(10))
                defer { store.release() }
                return try store.loadIndex().files.map(\.name)
            }
            #expect(names == ["mysql-bin.000002", "mysql-bin.000003"])
            try await sandbox.removeEverything(under: prefix, client: client)
        }
    }
}

/// Counts calls from any task.
private final class Counter: @unchecked Sendable {
    // Invariant: `value` is only read or written with `lock` held.
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        self.lock.withLock {
            self.value += 1
            return self.value
        }
    }
}
