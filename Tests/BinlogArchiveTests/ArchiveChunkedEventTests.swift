import BinlogFormat
import Foundation
import MySQLWire
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Long events arrive in chunks and go to the archived file as they arrive: the archive is the same, byte for
/// byte, however the events are cut into chunks; a long event with a bad CRC32, or one the stream breaks inside,
/// is cut back off the file; resuming checks an archived long event in pieces.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveChunkedEventTests {
    static let name = "binlog.000733"

    /// The fixture's events and, after them, a 300 KB statement (a QUERY event: its body counts transactions) and
    /// `longEvents` synthetic row events of `longSize` bytes each (a fresh CRC32 each), positioned to continue the
    /// file.
    static func events(longEvents: Int = 2, longSize: Int = 3 << 20) throws -> [ByteBuffer] {
        let data = try Fixtures.data(ArchiveMySQLStreamTests.files[0])
        var events = ArchiveMySQLStreamTests.events(data)
        var end = UInt32(4 + events.reduce(0) { $0 + $1.readableBytes })
        // QUERY: thread id, exec time, db length, error code, status vars length; db; the statement.
        var query: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0] + Array("test".utf8) + [0]
        query += Array("INSERT INTO t VALUES ('".utf8) + Array(repeating: 0x61, count: 300_000) + Array("')".utf8)
        end += UInt32(19 + query.count + 4)
        events.append(ArchiveMySQLStreamTests.event(type: 2, nextPosition: end, flags: 0, body: query))
        var random = SplitMix64(seed: 15)
        for _ in 0..<longEvents {
            let body = (0..<(longSize - 19 - 4)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            end += UInt32(longSize)
            events.append(ArchiveMySQLStreamTests.event(type: 30, nextPosition: end, flags: 0, body: body))
        }
        return events
    }

    /// `event` cut into chunks of random sizes, the first holding at least the 19-byte header.
    static func chunks(of event: ByteBuffer, random: inout SplitMix64, largest: Int = 100_000) -> [BinlogEventChunk] {
        var chunks: [BinlogEventChunk] = []
        var rest = event
        while rest.readableBytes > 0 {
            let least = chunks.isEmpty ? 19 : 1
            let size = min(rest.readableBytes, least + Int(random.next() % UInt64(largest)))
            let bytes = rest.readSlice(length: size)!
            chunks.append(BinlogEventChunk(bytes: bytes, isFirst: chunks.isEmpty, isLast: rest.readableBytes == 0))
        }
        return chunks
    }

    static func expected(_ events: [ByteBuffer]) -> Data {
        var data = Data(ArchiveFileWriter.magic)
        for event in events { data.append(contentsOf: event.readableBytesView) }
        return data
    }

    static func fileSize(_ directory: String) -> UInt64? {
        ArchiveTestFiles.size(directory + "/" + Self.name)
    }

    @Test func eventsSentInChunksArchiveByteForByteAlsoAcrossAKillInsideOne() throws {
        let events = try Self.events()
        let expected = Self.expected(events)
        var random = SplitMix64(seed: 2026)
        let longIndex = events.count - 2  // the first long row event; the long statement is just before it
        for killInside in [nil, 1, longIndex - 1, longIndex] as [Int?] {
            let directory = try ArchiveTestFiles.temporaryDirectory("chunked")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var archiver = try ArchiveMySQLStreamTests.archiver(directory)
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            try archiver.handle(
                ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4),
                artificial: &artificial
            )
            var index = 0
            while index < events.count {
                let event = events[index]
                let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
                let chunks = Self.chunks(of: sent, random: &random)
                if index == killInside {
                    // SIGKILL-like inside the event: half of its chunks written, then a new archiver resumes.
                    for chunk in chunks.prefix(max(1, chunks.count / 2)) where !chunk.isLast {
                        try archiver.handle(chunk, artificial: &artificial)
                    }
                    try archiver.finishWrites(sync: false)
                    archiver.abandon()
                    archiver = try ArchiveMySQLStreamTests.archiver(directory)
                    artificial = ArtificialEventDecoder(hasCRC32: true)
                    let size = try #require(archiver.currentIndex.files.last?.size)
                    #expect(Self.fileSize(directory) == size, "the partial event was cut off on resume")
                    let resent = ArchiveMySQLStreamTests.sentFormatDescription(events[0], resent: true)
                    try archiver.handle(
                        ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: size),
                        artificial: &artificial
                    )
                    try archiver.handle(resent, artificial: &artificial)
                }
                for chunk in chunks { try archiver.handle(chunk, artificial: &artificial) }
                index += 1
            }
            try archiver.finishWrites()
            let archived = try #require(FileManager.default.contents(atPath: directory + "/" + Self.name))
            let label = "kill inside event \(killInside.map(String.init) ?? "none")"
            #expect(archived.count == expected.count, "\(label)")
            #expect(
                archived == expected,
                "\(label): first difference at \(zip(archived, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
            )
            let entry = try #require(archiver.currentIndex.files.last)
            #expect(entry.size == UInt64(expected.count), "\(label)")
            #expect(entry.events == UInt64(events.count), "\(label)")
            // Transactions counted as the whole file counts them (the long statement was decoded, not streamed).
            var recount = ArchivedFile(name: Self.name)
            var gtids = GTIDSet()
            _ = try ArchiveFileWriter.resume(path: directory + "/" + Self.name, from: 4, verifyChecksums: true) {
                inspection,
                _ in
                recount.record(inspection, gtids: &gtids)
            }
            #expect(entry.transactions > 0 && entry.transactions == recount.transactions, "\(label)")
        }
    }

    /// Archives the fixture's events whole; returns the archiver and the file's size.
    static func archiveFixture(_ directory: String, _ events: [ByteBuffer]) throws -> (BinlogArchiver, UInt64) {
        let archiver = try ArchiveMySQLStreamTests.archiver(directory)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(
            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4),
            artificial: &artificial
        )
        var size: UInt64 = 4
        for (index, event) in events.enumerated() {
            let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
            try archiver.handle(sent, artificial: &artificial)
            size += UInt64(event.readableBytes)
        }
        return (archiver, size)
    }

    @Test func aLongEventWithABadChecksumIsCutBackOffTheFile() throws {
        let events = try Self.events(longEvents: 1)
        let directory = try ArchiveTestFiles.temporaryDirectory("chunked-crc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (archiver, size) = try Self.archiveFixture(directory, Array(events.dropLast()))
        var damaged = events.last!
        let at = damaged.readerIndex + 2_000_000
        damaged.setInteger(damaged.getInteger(at: at, as: UInt8.self)! ^ 0x40, at: at)
        var random = SplitMix64(seed: 7)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let chunks = Self.chunks(of: damaged, random: &random)
        for chunk in chunks.dropLast() { try archiver.handle(chunk, artificial: &artificial) }
        #expect(try #require(Self.fileSize(directory)) > size, "the event's bytes went to the file as they came")
        let error = #expect(throws: ArchiveError.self) { try archiver.handle(chunks.last!, artificial: &artificial) }
        #expect(error?.reason.contains("CRC32") == true, "\(String(describing: error))")
        #expect(error?.reason.contains("cut off") == true, "\(String(describing: error))")
        #expect(error?.offset == size)
        #expect(Self.fileSize(directory) == size, "the damaged event is no longer in the file")
        try archiver.finishWrites()
        #expect(archiver.currentIndex.files.last?.size == size)

        // The server sends it again, undamaged: the archive goes on.
        for chunk in Self.chunks(of: events.last!, random: &random) {
            try archiver.handle(chunk, artificial: &artificial)
        }
        try archiver.finishWrites()
        #expect(FileManager.default.contents(atPath: directory + "/" + Self.name) == Self.expected(events))
    }

    @Test func aStreamBrokenInsideALongEventLeavesNothingOfIt() throws {
        let events = try Self.events(longEvents: 1)
        let directory = try ArchiveTestFiles.temporaryDirectory("chunked-broken")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (archiver, size) = try Self.archiveFixture(directory, Array(events.dropLast()))
        var random = SplitMix64(seed: 8)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let chunks = Self.chunks(of: events.last!, random: &random)
        for chunk in chunks.prefix(chunks.count - 3) { try archiver.handle(chunk, artificial: &artificial) }
        try archiver.abandonIncomingEvent()
        #expect(Self.fileSize(directory) == size)
        try archiver.finishWrites()
        #expect(archiver.currentIndex.files.last?.size == size)
        // A chunk that continues no event is a protocol error, not bytes appended to the file.
        let error = #expect(throws: MySQLError.self) { try archiver.handle(chunks.last!, artificial: &artificial) }
        #expect(error?.code == .protocolViolation)
        #expect(Self.fileSize(directory) == size)
    }

    @Test func resumeChecksALongArchivedEventInPieces() throws {
        let events = try Self.events(longEvents: 1)
        let expected = Self.expected(events)
        for damage in [nil, 1_500_000] as [Int?] {
            let directory = try ArchiveTestFiles.temporaryDirectory("chunked-resume")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let (archiver, size) = try Self.archiveFixture(directory, events)
            try archiver.finishWrites()
            archiver.abandon()
            let longStart = size - UInt64(events.last!.readableBytes)
            let path = directory + "/" + Self.name
            if let damage {
                let handle = try #require(FileHandle(forUpdatingAtPath: path))
                try handle.seek(toOffset: longStart + UInt64(damage))
                try handle.write(contentsOf: Data([0xAA]))
                try handle.close()
            }
            let resumed = try ArchiveMySQLStreamTests.archiver(directory)
            let entry = try #require(resumed.currentIndex.files.last)
            #expect(entry.size == (damage == nil ? size : longStart), "damage at \(String(describing: damage))")
            #expect(ArchiveTestFiles.size(path) == entry.size)
            if damage == nil { #expect(FileManager.default.contents(atPath: path) == expected) }
        }
    }
}
