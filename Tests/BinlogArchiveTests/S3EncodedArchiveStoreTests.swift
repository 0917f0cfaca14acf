import BinlogFormat
import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Segments compressed and encrypted (``ObjectCodec``) in ``S3ArchiveStore`` against moto: stored objects that
/// are not the binlog's bytes, manifests and metadata that name the codec and the key, a resumed file read back
/// (and a segment stored without its manifest adopted) through the codec, a file joined by the readers' cache
/// byte for byte, and clear refusals without the key or with another one.
@Suite(
    .enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3EncodedArchiveStoreTests {
    static let key = try! ObjectKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) })
    static let codec = ObjectCodec(compression: .zstd, key: key)
    static let serverID = S3ArchiveStoreTests.serverID
    static let name = S3ArchiveStoreTests.name

    @Test func encodedSegmentsAreStoredUnreadableAndResumedThroughTheCodec() async throws {
        let (data, events) = try S3ArchiveStoreTests.fixture()
        let half = events.count / 2
        try await S3ArchiveStoreTests.withStore(codec: Self.codec) { objects, reopen in
            let writer = try S3ArchiveStoreTests.fileWithFirstSegment(try reopen(), events: Array(events[..<half]))
            let offset = writer.durableSize
            let layout = objects.layout
            let first = layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: 0)
            let stored = try objects.get(first)
            let plain = ByteBuffer(bytes: data.prefix(Int(offset)))
            #expect(ObjectCodec.looksEncoded(stored))
            #expect(stored.getBytes(at: 0, length: 4) != ArchiveFileWriter.magic)
            #expect(!Self.contains(stored, Array(data[200..<232])), "a run of the binlog's bytes shows in the object")
            let info = try #require(try objects.head(first))
            #expect(
                info.metadata["rewind-encryption"] == "aes-256-gcm" && info.metadata["rewind-key-id"] == Self.key.id
            )
            #expect(info.metadata["rewind-compression"] == "zstd" && info.metadata["length"] == String(offset))
            #expect(info.metadata["sha256"] == SHA256.hex(of: plain))
            let manifest = try #require(
                try objects.getJSON(
                    S3SegmentManifest.self,
                    layout.manifestKey(serverID: Self.serverID, file: Self.name, offset: 0)
                )
            )
            #expect(manifest.encoding == Self.codec.encoding && manifest.storedLength == UInt64(stored.readableBytes))
            #expect(manifest.length == offset && manifest.sha256 == SHA256.hex(of: plain))

            // Killed after storing the next segment (encoded), before its manifest: adopted on resume.
            var rest = ByteBuffer()
            for event in events[half...] { rest.writeImmutableBuffer(event) }
            let restKey = layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: offset)
            let (encoding, storedLength) = try objects.putSegment(restKey, rest, sha256: SHA256.hex(of: rest))
            let store = try reopen()
            _ = try store.loadIndex()
            var seen = 0
            let resumed = try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in seen += 1 }
            #expect(resumed.writer.size == UInt64(data.count) && seen == events.count)
            let adopted = try #require(
                try objects.getJSON(
                    S3SegmentManifest.self,
                    layout.manifestKey(serverID: Self.serverID, file: Self.name, offset: offset)
                )
            )
            #expect(adopted.encoding == encoding && adopted.storedLength == storedLength)
            #expect(adopted.length == UInt64(rest.readableBytes) && adopted.sha256 == SHA256.hex(of: rest))
            // The resumed writer compares the server's bytes with the stored ones through the codec too.
            let second = UInt64(4 + events[0].readableBytes)
            #expect(try resumed.writer.holds(events[1], at: second))
            #expect(try !resumed.writer.holds(events[2], at: second))
        }
    }

    @Test func aResumeWithoutTheKeyOrWithAnotherKeyIsRefusedNamingTheSegment() async throws {
        let (_, events) = try S3ArchiveStoreTests.fixture()
        try await S3ArchiveStoreTests.withStore(codec: Self.codec) { objects, reopen in
            let store = try reopen()
            _ = try S3ArchiveStoreTests.fileWithFirstSegment(store, events: Array(events.prefix(6)))
            store.release()
            let segment = objects.url(objects.layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: 0))
            let other = try ObjectKey(bytes: Array(repeating: 1, count: 32))
            for (codec, expected) in [
                (ObjectCodec.plain, ["is encrypted", "--encryption-key-file", Self.key.id]),
                (ObjectCodec(compression: .zstd, key: other), ["key id \(Self.key.id)", other.id]),
            ] {
                let opened = try S3ArchiveStore(
                    location: objects.layout.location,
                    client: objects.client,
                    uploadInterval: .seconds(10),
                    codec: codec
                )
                defer { opened.release() }
                _ = try opened.loadIndex()
                let error = #expect(throws: ArchiveError.self) {
                    try opened.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in }
                }
                let text = error?.description ?? ""
                #expect(text.contains(segment), "\(text)")
                for part in expected { #expect(text.contains(part), "\(text)") }
            }
        }
    }

    @Test func theReadersCacheJoinsEncodedAndPlainSegmentsByteForByte() async throws {
        let (data, events) = try S3ArchiveStoreTests.fixture()
        var location: S3Location?
        // A plain first segment (an archive that turned encryption on later), then encoded ones; the file sealed.
        try await S3ArchiveStoreTests.withStore(codec: Self.codec) { objects, reopen in
            location = objects.layout.location
            let plainStore = try S3ArchiveStore(
                location: objects.layout.location,
                client: objects.client,
                uploadInterval: .seconds(10)
            )
            _ = try S3ArchiveStoreTests.fileWithFirstSegment(plainStore, events: Array(events.prefix(4)))
            plainStore.release()
            let store = try reopen()
            let index = try store.loadIndex()
            let resumed = try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in }
            for (number, event) in events.dropFirst(4).enumerated() {
                try resumed.writer.append(event)
                if number % 40 == 0 { try resumed.writer.sync() }
            }
            try resumed.writer.complete()
            let entry = ArchivedFile(name: Self.name, size: resumed.writer.size, state: .complete)
            try resumed.writer.seal(entry, index: index)
            let completion = try #require(
                try objects.getJSON(
                    S3FileCompletion.self,
                    objects.layout.completionKey(serverID: Self.serverID, file: Self.name)
                )
            )
            #expect(completion.segments.first?.encoding == nil)
            #expect(completion.segments.count >= 3 && completion.segments.dropFirst().allSatisfy { $0.encoding != nil })
            #expect(completion.sha256 == SHA256.hex(of: ByteBuffer(bytes: data)))
        }
        let s3 = try S3Sandbox.fromEnvironment()
        let configuration = try S3ClientConfiguration.fromEnvironment(s3.environment, endpoint: s3.endpoint)
        let root = try ArchiveTestFiles.temporaryDirectory("s3-encoded-cache")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let archive = try #require(location)
        let directory = try await S3ArchiveCache.materialize(
            archive,
            configuration: configuration,
            root: root,
            codec: Self.codec
        )
        var expected = [UInt8](data)
        expected[Int(S3FileCompletion.inUseFlagOffset)] &= ~UInt8(BinlogEventHeader.flagBinlogInUse)
        #expect(FileManager.default.contents(atPath: directory + "/" + Self.name).map([UInt8].init) == expected)
        // A second use joins nothing new; without the key a fresh cache cannot read the encoded segments.
        _ = try await S3ArchiveCache.materialize(archive, configuration: configuration, root: root, codec: Self.codec)
        let error = await #expect(throws: ArchiveError.self) {
            _ = try await S3ArchiveCache.materialize(archive, configuration: configuration, root: root + "/fresh")
        }
        #expect(error?.description.contains("--encryption-key-file") == true, "\(String(describing: error))")
        #expect(error?.description.contains(".seg") == true, "\(String(describing: error))")
    }

    static func contains(_ buffer: ByteBuffer, _ needle: [UInt8]) -> Bool {
        let bytes = Array(buffer.readableBytesView)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
