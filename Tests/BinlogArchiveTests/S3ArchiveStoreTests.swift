import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// ``S3ArchiveStore`` against moto, the crash cases driven by hand: a segment stored without its manifest (an
/// archiver killed between the two writes) is adopted after its events are checked, bytes stored twice or a hole
/// are refused naming the segment, and a lost index is rebuilt from the completion manifests and gap objects.
@Suite(
    .enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3ArchiveStoreTests {
    static let serverID: UInt32 = 7
    static let name = "binlog.000733"

    /// Runs `body` on an archiver thread with a store on a fresh prefix (opened again by `reopen`).
    static func withStore(
        codec: ObjectCodec = .plain,
        _ body: (_ objects: S3ArchiveObjects, _ reopen: () throws -> S3ArchiveStore) throws -> Void
    ) async throws {
        try await S3Location.withFreshPrefix("store") { location, client in
            var open: S3ArchiveStore?
            let reopen = {
                open?.release()
                open = try S3ArchiveStore(
                    location: location,
                    client: client,
                    uploadInterval: .seconds(10),
                    codec: codec
                )
                return open!
            }
            defer { open?.release() }
            let layout = S3ArchiveLayout(location: location)
            try body(S3ArchiveObjects(client: client, layout: layout, codec: codec), reopen)
        }
    }

    static func fixture() throws -> (data: Data, events: [ByteBuffer]) {
        let data = try Fixtures.data(ArchiveMySQLStreamTests.files[0])
        return (data, ArchiveMySQLStreamTests.events(data))
    }

    /// A store whose index names the server, and a new file with the first `count` events stored as one segment.
    static func fileWithFirstSegment(_ store: S3ArchiveStore, events: [ByteBuffer]) throws -> any ArchiveFileWriting {
        var index = try store.loadIndex()
        index.serverID = Self.serverID
        try store.save(index)
        let writer = try store.createFile(named: Self.name)
        for event in events { try writer.append(event) }
        try writer.sync()
        return writer
    }

    @Test func aSegmentStoredButNotRecordedIsAdoptedAfterItsEventsAreChecked() async throws {
        let (data, events) = try Self.fixture()
        let half = events.count / 2
        try await Self.withStore { objects, reopen in
            let writer = try Self.fileWithFirstSegment(try reopen(), events: Array(events[..<half]))
            let offset = writer.durableSize
            #expect(offset == UInt64(4 + events[..<half].reduce(0) { $0 + $1.readableBytes }))
            // Killed after storing the next segment, before its manifest.
            var rest = ByteBuffer()
            for event in events[half...] { rest.writeImmutableBuffer(event) }
            let layout = objects.layout
            try objects.put(layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: offset), rest)
            #expect(
                try objects.head(layout.manifestKey(serverID: Self.serverID, file: Self.name, offset: offset)) == nil
            )

            let store = try reopen()
            #expect(try store.loadIndex().serverID == Self.serverID)
            #expect(try store.binlogFileNames() == [Self.name])
            var seen = 0
            let resumed = try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in seen += 1 }
            #expect(resumed.writer.size == UInt64(data.count) && resumed.writer.durableSize == UInt64(data.count))
            #expect(seen == events.count && resumed.truncated == nil)
            let manifest = try #require(
                try objects.getJSON(
                    S3SegmentManifest.self,
                    layout.manifestKey(serverID: Self.serverID, file: Self.name, offset: offset)
                ),
                "the adopted segment's manifest"
            )
            #expect(manifest.length == UInt64(rest.readableBytes) && manifest.sha256 == SHA256.hex(of: rest))
        }
    }

    @Test func bytesStoredTwiceOrAHoleAreRefusedNamingTheSegment() async throws {
        let (_, events) = try Self.fixture()
        try await Self.withStore { objects, reopen in
            let writer = try Self.fileWithFirstSegment(try reopen(), events: Array(events.prefix(3)))
            let end = writer.durableSize
            let layout = objects.layout
            // A segment that starts 10 bytes before the previous one ends: those bytes would be stored twice.
            let overlapping = layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: end - 10)
            try objects.put(overlapping, ByteBuffer(repeating: 0, count: 20))
            let store = try reopen()
            _ = try store.loadIndex()
            let twice = #expect(throws: ArchiveError.self) {
                try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in }
            }
            #expect(twice?.reason.contains("stored twice") == true && twice?.reason.contains(overlapping) == true)
            try objects.delete(overlapping)
            // A segment after a hole.
            let afterHole = layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: end + 100)
            try objects.put(afterHole, ByteBuffer(repeating: 0, count: 20))
            let hole = #expect(throws: ArchiveError.self) {
                try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in }
            }
            #expect(hole?.reason.contains("hole") == true)
        }
    }

    @Test func aLostIndexIsRebuiltFromTheManifests() async throws {
        let (data, events) = try Self.fixture()
        try await Self.withStore { objects, reopen in
            let store = try reopen()
            let writer = try Self.fileWithFirstSegment(store, events: events)
            var entry = ArchivedFile(name: Self.name, size: writer.size, state: .complete)
            (entry.ending, entry.events, entry.lastGTID) = ("rotate", UInt64(events.count), "0-7-42")
            try writer.complete()
            var index = try store.loadIndex()
            index.files = [entry]
            index.gaps = [
                ArchiveGap(
                    afterFile: "binlog.000731",
                    afterPosition: 4,
                    missingFiles: ["binlog.000732"],
                    resumedAt: Self.name,
                    reason: "purged"
                )
            ]
            try writer.seal(entry, index: index)
            try store.save(index)
            try objects.delete(objects.layout.indexKey)

            let rebuilt = try reopen().loadIndex()
            #expect(rebuilt.serverID == Self.serverID)
            #expect(rebuilt.files == [entry])
            #expect(
                rebuilt.gaps.map(\.resumedAt) == [Self.name] && rebuilt.gaps.first?.missingFiles == ["binlog.000732"]
            )
            let completion = try #require(
                try objects.getJSON(
                    S3FileCompletion.self,
                    objects.layout.completionKey(serverID: Self.serverID, file: Self.name)
                )
            )
            #expect(completion.inUseFlagCleared && completion.entry.size == UInt64(data.count))
            #expect(completion.segments.map(\.end).last == UInt64(data.count))
        }
    }
}
