import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Long events archived to S3 (moto) as their chunks arrive: an event of ``S3ArchiveFileWriter/multipartThreshold``
/// bytes or more goes up in parts (a multipart upload completed once the event's CRC32 is checked), so the archiver
/// never holds it; the joined file is the server's byte for byte, also across a kill inside such an event (the next
/// archiver aborts the upload left behind and fetches the event again); a damaged event is neither stored nor left
/// as an upload; a resumed file is read back a window at a time.
@Suite(
    .enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"),
    .enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)")
)
struct S3ArchiveLongEventTests {
    static let name = ArchiveChunkedEventTests.name
    static let serverID: UInt32 = 7
    /// Three parts, the last one short; three windows when read back.
    static let longSize = (20 << 20) + 12_345

    /// The store an archiver opened last, to release its lease as a killed process's would expire.
    final class OpenedStore {
        var store: S3ArchiveStore?
    }

    /// Runs `body` on an archiver thread with a fresh prefix whose index names the server.
    static func withPrefix(
        codec: ObjectCodec = .plain,
        _ body: (_ location: S3Location, _ client: S3Client, _ objects: S3ArchiveObjects) throws -> Void
    ) async throws {
        try await S3Location.withFreshPrefix("long") { location, client in
            let store = try S3ArchiveStore(
                location: location,
                client: client,
                uploadInterval: .seconds(600),
                codec: codec
            )
            var index = try store.loadIndex()
            index.serverID = Self.serverID
            try store.save(index)
            store.release()
            try body(location, client, store.objects)
        }
    }

    /// An archiver on the prefix, its store kept in `opened`; uploads go out by size or when asked, not by time.
    static func archiver(
        _ location: S3Location,
        _ client: S3Client,
        _ opened: OpenedStore,
        codec: ObjectCodec = .plain
    ) throws -> BinlogArchiver {
        let archiver = BinlogArchiver(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 1), username: "unused", password: ""),
            options: ArchiveOptions(directory: location.description),
            logger: testLogger
        ) { _ in
            let store = try S3ArchiveStore(
                location: location,
                client: client,
                uploadInterval: .seconds(600),
                codec: codec
            )
            opened.store = store
            return store
        }
        try archiver.prepare()
        return archiver
    }

    /// The file's segments in offset order, and the multipart uploads left open under the prefix.
    static func stored(_ objects: S3ArchiveObjects) throws -> (segments: [S3ObjectInfo], openUploads: Int) {
        let prefix = objects.layout.filePrefix(serverID: Self.serverID, file: Self.name)
        let segments = try objects.list(prefix).filter { $0.key.hasSuffix(S3ArchiveLayout.segmentSuffix) }
        let (client, bucket) = (objects.client, objects.bucket)
        let uploads = try ArchiverThread.blocking {
            try await client.listMultipartUploads(bucket: bucket, prefix: objects.layout.location.key(""))
        }
        return (segments.sorted { $0.key < $1.key }, uploads.count)
    }

    /// The stored file, its segments joined (read in 8 MiB ranges).
    static func joined(_ objects: S3ArchiveObjects) throws -> Data {
        var data = Data()
        for segment in try Self.stored(objects).segments {
            var at: UInt64 = 0
            while at < UInt64(segment.size) {
                let length = Int(min(8 << 20, UInt64(segment.size) - at))
                let bytes = try objects.get(segment.key, offset: at, length: length)
                data.append(contentsOf: bytes.readableBytesView)
                at += UInt64(length)
            }
        }
        return data
    }

    static func offset(of segment: S3ObjectInfo) -> UInt64? {
        segment.key.split(separator: "/").last.flatMap { UInt64($0.prefix(20)) }
    }

    /// A row event of `size` random bytes that ends at `end + size`; `damaged` flips a byte of its body after the
    /// CRC32 was computed.
    static func rowEvent(size: Int, after end: inout UInt32, seed: UInt64, damaged: Bool = false) -> ByteBuffer {
        var random = SplitMix64(seed: seed)
        var body = ByteBuffer()
        let length = size - 19 - 4
        while body.readableBytes + 8 <= length { body.writeInteger(random.next()) }
        while body.readableBytes < length { body.writeInteger(UInt8(truncatingIfNeeded: random.next())) }
        var event = ArchiveMySQLStreamTests.event(
            type: 30,
            nextPosition: end + UInt32(size),
            flags: 0,
            body: Array(body.readableBytesView)
        )
        if damaged {
            let at = event.readerIndex + size / 2
            event.setInteger(event.getInteger(at: at, as: UInt8.self)! ^ 0x40, at: at)
        } else {
            end += UInt32(size)
        }
        return event
    }

    static func send(
        _ event: ByteBuffer,
        to archiver: BinlogArchiver,
        random: inout SplitMix64,
        artificial: inout ArtificialEventDecoder
    ) throws {
        for chunk in ArchiveChunkedEventTests.chunks(of: event, random: &random) {
            try archiver.handle(chunk, artificial: &artificial)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func longEventsGoUpInPartsAndJoinByteForByteAlsoAcrossAKillInsideOne() async throws {
        let events = try ArchiveChunkedEventTests.events(longEvents: 2, longSize: Self.longSize)
        let expected = ArchiveChunkedEventTests.expected(events)
        let longIndex = events.count - 2  // the first long row event
        let longStarts = Set([expected.count - 2 * Self.longSize, expected.count - Self.longSize].map(UInt64.init))
        for killInside in [nil, longIndex] as [Int?] {
            try await Self.withPrefix { location, client, objects in
                let opened = OpenedStore()
                var archiver = try Self.archiver(location, client, opened)
                var artificial = ArtificialEventDecoder(hasCRC32: true)
                var random = SplitMix64(seed: 2027)
                try archiver.handle(
                    ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4),
                    artificial: &artificial
                )
                for (index, event) in events.enumerated() {
                    let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
                    let chunks = ArchiveChunkedEventTests.chunks(of: sent, random: &random)
                    if index == killInside {
                        // SIGKILL-like inside the event: half of it has gone up in parts, then a new archiver.
                        for chunk in chunks.prefix(chunks.count / 2) {
                            try archiver.handle(chunk, artificial: &artificial)
                        }
                        archiver.abandon()
                        opened.store?.release()  // as the lease of a process that is gone is taken over
                        #expect(try Self.stored(objects).openUploads == 1, "the long event was going up in parts")
                        archiver = try Self.archiver(location, client, opened)
                        #expect(try Self.stored(objects).openUploads == 0, "the new archiver aborts the upload left")
                        artificial = ArtificialEventDecoder(hasCRC32: true)
                        let size = try #require(archiver.currentIndex.files.last?.size)
                        #expect(longStarts.contains(size), "the file ends where the long event began: \(size)")
                        try archiver.handle(
                            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: size),
                            artificial: &artificial
                        )
                        try archiver.handle(
                            ArchiveMySQLStreamTests.sentFormatDescription(events[0], resent: true),
                            artificial: &artificial
                        )
                    }
                    for chunk in chunks { try archiver.handle(chunk, artificial: &artificial) }
                }
                try archiver.finishWrites()
                opened.store?.release()

                let label = "kill inside event \(killInside.map(String.init) ?? "none")"
                let (segments, openUploads) = try Self.stored(objects)
                #expect(openUploads == 0, "\(label)")
                for start in longStarts {
                    let segment = segments.first { Self.offset(of: $0) == start }
                    #expect(segment?.size == Int64(Self.longSize), "\(label): a long event is a segment of its own")
                }
                let joined = try Self.joined(objects)
                #expect(joined.count == expected.count, "\(label)")
                #expect(joined == expected, "\(label)")

                // A resuming archiver reads the file back a window at a time and checks each segment's SHA-256.
                let store = try S3ArchiveStore(location: location, client: client, uploadInterval: .seconds(600))
                defer { store.release() }
                _ = try store.loadIndex()
                var seen = 0
                let resumed = try store.resumeFile(named: Self.name, from: 4, verifyChecksums: true) { _, _ in
                    seen += 1
                }
                #expect(resumed.writer.size == UInt64(expected.count) && resumed.truncated == nil, "\(label)")
                #expect(seen == events.count, "\(label)")
            }
        }
    }

    /// A damaged event is checked (CRC32) before anything of it is stored: one held in memory (under the multipart
    /// threshold, whose end brings the events waiting over the segment limit) and one going up in parts; the server
    /// sends each again and the archive goes on, identical to the server's file.
    @Test(.timeLimit(.minutes(10)))
    func damagedEventsAreNeverStoredNorLeftAsUploads() async throws {
        var events = ArchiveMySQLStreamTests.events(try Fixtures.data(ArchiveMySQLStreamTests.files[0]))
        var end = UInt32(4 + events.reduce(0) { $0 + $1.readableBytes })
        // Whole events of 12 MiB and more wait in memory: with the next 6 MiB they pass the segment limit.
        for seed in 1...2 { events.append(Self.rowEvent(size: 6 << 20, after: &end, seed: UInt64(seed))) }
        try await Self.withPrefix { location, client, objects in
            let opened = OpenedStore()
            let archiver = try Self.archiver(location, client, opened)
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            var random = SplitMix64(seed: 2028)
            try archiver.handle(
                ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4),
                artificial: &artificial
            )
            for (index, event) in events.enumerated() {
                let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
                try Self.send(sent, to: archiver, random: &random, artificial: &artificial)
            }
            for (size, seed) in [(6 << 20, UInt64(10)), (Self.longSize, 11)] {
                let start = UInt64(end)
                let damaged = Self.rowEvent(size: size, after: &end, seed: seed, damaged: true)
                let error = #expect(throws: ArchiveError.self) {
                    try Self.send(damaged, to: archiver, random: &random, artificial: &artificial)
                }
                #expect(error?.reason.contains("CRC32") == true, "\(String(describing: error))")
                #expect(error?.offset == start)
                try archiver.finishWrites()
                let (segments, openUploads) = try Self.stored(objects)
                let storedEnd = segments.last.map { Self.offset(of: $0)! + UInt64($0.size) } ?? 0
                #expect(storedEnd == start, "\(size) bytes: the store ends where the damaged event began")
                #expect(openUploads == 0, "\(size) bytes: no upload left")
                #expect(archiver.currentIndex.files.last?.size == start)
                // Sent again, undamaged.
                let good = Self.rowEvent(size: size, after: &end, seed: seed)
                events.append(good)
                try Self.send(good, to: archiver, random: &random, artificial: &artificial)
            }
            try archiver.finishWrites()
            opened.store?.release()
            #expect(try Self.joined(objects) == ArchiveChunkedEventTests.expected(events))
        }
    }

    /// A join sent again after its answer was lost finds the object there (`If-None-Match: *`): the same bytes (size
    /// and multipart ETag, the MD5 of the parts' MD5s, as the store computes it) are adopted, other bytes refused.
    @Test(.timeLimit(.minutes(10)))
    func aJoinSentAgainAdoptsTheSameBytesAndRefusesOthers() async throws {
        try await Self.withPrefix { _, _, objects in
            let key = objects.layout.segmentKey(serverID: Self.serverID, file: Self.name, offset: 1_000)
            var end: UInt32 = 1_000
            let event = Self.rowEvent(size: (9 << 20) + 7, after: &end, seed: 31)  // two parts
            func upload(_ bytes: ByteBuffer) throws -> String {
                var segment = try S3MultipartSegment(
                    key: key,
                    offset: 1_000,
                    end: 1_000 + UInt64(bytes.readableBytes),
                    fileHash: nil,
                    objects: objects
                )
                try segment.add(bytes, objects: objects)
                return try segment.complete(objects: objects)
            }
            let first = try upload(event)
            #expect(first == SHA256.hex(of: event))
            let stored = try #require(try objects.head(key))
            #expect(stored.size == Int64(event.readableBytes))
            #expect(stored.etag.hasSuffix("-2"), "joined from two parts: \(stored.etag)")
            #expect(try upload(event) == first, "the same bytes: the object is this upload's")
            var other = event
            other.setInteger(UInt8(0x5A), at: other.readerIndex + 100)
            let error = #expect(throws: ArchiveError.self) { try upload(other) }
            #expect(error?.reason.contains("a different segment is already stored") == true)
            #expect(
                try objects.get(key, offset: 100, length: 1) == event.getSlice(at: event.readerIndex + 100, length: 1)
            )
            _ = try objects.abortMultipartUploads(under: objects.layout.location.key(""))
        }
    }
}
