import BinlogFormat
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Long events in an encoded archive (moto): an event of ``S3ArchiveFileWriter/multipartThreshold`` bytes or more
/// goes up in parts as its chunks arrive, the parts carrying the compressed and encrypted stream; the segment is
/// read back a window at a time through the decoder (also when one stored range decodes to far more than a window)
/// by a resuming archiver and by the readers' cache, byte for byte.
@Suite(
    .enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3EncodedLongEventTests {
    static let codec = S3EncodedArchiveStoreTests.codec
    static let name = S3ArchiveLongEventTests.name
    static let serverID = S3ArchiveLongEventTests.serverID
    static let longSize = S3ArchiveLongEventTests.longSize

    /// The fixture's events, then two long row events: random bytes, or a repeated phrase (a stored range of a few
    /// KiB then decodes to the whole event).
    static func events(compressible: Bool) throws -> [ByteBuffer] {
        var events = ArchiveMySQLStreamTests.events(try Fixtures.data(ArchiveMySQLStreamTests.files[0]))
        var end = UInt32(4 + events.reduce(0) { $0 + $1.readableBytes })
        for seed in 1...2 {
            if compressible {
                let phrase = Array("row \(seed) of a long event that compresses well; ".utf8)
                let body = (0..<(Self.longSize - 19 - 4)).map { phrase[$0 % phrase.count] }
                end += UInt32(Self.longSize)
                events.append(ArchiveMySQLStreamTests.event(type: 30, nextPosition: end, flags: 0, body: body))
            } else {
                events.append(S3ArchiveLongEventTests.rowEvent(size: Self.longSize, after: &end, seed: UInt64(seed)))
            }
        }
        return events
    }

    @Test(.timeLimit(.minutes(10)), arguments: [false, true])
    func encodedLongEventsGoUpInPartsAndReadBackAWindowAtATime(compressible: Bool) async throws {
        let events = try Self.events(compressible: compressible)
        let expected = ArchiveChunkedEventTests.expected(events)
        var location: S3Location?
        try await S3ArchiveLongEventTests.withPrefix(codec: Self.codec) { prefix, client, objects in
            location = prefix
            let opened = S3ArchiveLongEventTests.OpenedStore()
            let archiver = try S3ArchiveLongEventTests.archiver(prefix, client, opened, codec: Self.codec)
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            var random = SplitMix64(seed: 2029)
            try archiver.handle(
                ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4),
                artificial: &artificial
            )
            for (index, event) in events.enumerated() {
                let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
                try S3ArchiveLongEventTests.send(sent, to: archiver, random: &random, artificial: &artificial)
            }
            try archiver.finishWrites()
            opened.store?.release()

            // Each long event is a segment of its own, stored encoded, its manifest naming the codec.
            let (segments, openUploads) = try S3ArchiveLongEventTests.stored(objects)
            #expect(openUploads == 0)
            let longStarts = [expected.count - 2 * Self.longSize, expected.count - Self.longSize].map(UInt64.init)
            for start in longStarts {
                let segment = try #require(segments.first { S3ArchiveLongEventTests.offset(of: $0) == start })
                let head = try #require(try objects.head(segment.key))
                #expect(
                    head.metadata["rewind-encryption"] == "aes-256-gcm" && head.metadata["length"] == "\(Self.longSize)"
                )
                #expect(ObjectCodec.looksEncoded(try objects.get(segment.key, offset: 0, length: 8)))
                let manifest = try #require(
                    try objects.getJSON(
                        S3SegmentManifest.self,
                        objects.layout.manifestKey(serverID: Self.serverID, file: Self.name, offset: start)
                    )
                )
                #expect(manifest.encoding == Self.codec.encoding && manifest.storedLength == UInt64(segment.size))
                #expect(manifest.length == UInt64(Self.longSize))
                if compressible {
                    #expect(segment.size < Self.longSize / 50, "\(segment.size) bytes stored")
                    // Read a window at a time: never much more than a window of plain bytes, though one stored
                    // range holds the whole event.
                    var window = S3SegmentWindow()
                    var at: UInt64 = 0
                    var plain = Data()
                    while at < manifest.length {
                        try window.load(
                            segment.key,
                            size: manifest.length,
                            holding: at,
                            objects: objects,
                            encoding: manifest.encoding,
                            storedSize: manifest.storedSize
                        )
                        #expect(
                            window.bytes.readableBytes <= Int(S3SegmentWindow.length) + ObjectCodec.defaultFrameSize)
                        plain.append(contentsOf: window.bytes.readableBytesView)
                        at = window.end
                    }
                    #expect(plain == expected[Int(start)..<Int(start) + Self.longSize])
                }
            }

            // A resuming archiver reads the file back through the codec and checks every event and segment.
            let store = try S3ArchiveStore(
                location: prefix,
                client: client,
                uploadInterval: .seconds(600),
                codec: Self.codec
            )
            defer { store.release() }
            _ = try store.loadIndex()
            var seen = 0
            let resumed = try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in seen += 1 }
            #expect(resumed.writer.size == UInt64(expected.count) && seen == events.count)
            // The writer compares bytes fetched again with the stored ones, inside the long event too.
            let inside = longStarts[1] + 10_000_000
            let fetchedAgain = ByteBuffer(bytes: expected[Int(inside)..<Int(inside) + 4096])
            #expect(try resumed.writer.holds(fetchedAgain, at: inside))
        }
        // The readers' cache joins the file byte for byte.
        let s3 = try S3Sandbox.fromEnvironment()
        let configuration = try S3ClientConfiguration.fromEnvironment(s3.environment, endpoint: s3.endpoint)
        let root = try ArchiveTestFiles.temporaryDirectory("s3-encoded-long")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = try await S3ArchiveCache.materialize(
            try #require(location),
            configuration: configuration,
            root: root,
            codec: Self.codec
        )
        #expect(FileManager.default.contents(atPath: directory + "/" + Self.name) == expected)
    }
}
