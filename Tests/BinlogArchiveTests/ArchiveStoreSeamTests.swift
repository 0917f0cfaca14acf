import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// The archiver works through the ``ArchiveStore`` seam only: with a store in memory (no file is opened) it
/// archives a file byte for byte, long events in chunks included, resumes after a kill inside an event, and cuts a
/// damaged tail back, exactly as with a directory.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveStoreSeamTests {
    static func archiver(_ store: MemoryArchiveStore) throws -> BinlogArchiver {
        let archiver = BinlogArchiver(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 1), username: "unused", password: ""),
            options: ArchiveOptions(directory: "/nonexistent/never-created"),
            logger: testLogger,
            openStore: { _ in store }
        )
        try archiver.prepare()
        return archiver
    }

    @Test func anArchiveInAnotherStoreIsTheSameByteForByte() throws {
        let events = try ArchiveChunkedEventTests.events()
        let expected = [UInt8](ArchiveChunkedEventTests.expected(events))
        let name = ArchiveChunkedEventTests.name
        let store = MemoryArchiveStore()
        var archiver = try Self.archiver(store)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        var random = SplitMix64(seed: 13)
        try archiver.handle(ArchiveMySQLStreamTests.artificialRotate(to: name, position: 4), artificial: &artificial)
        let killInside = events.count - 1
        for (index, event) in events.enumerated() {
            let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
            let chunks = ArchiveChunkedEventTests.chunks(of: sent, random: &random)
            if index == killInside {
                // Killed inside the last long event: part of it is in the store; a new archiver cuts it off.
                for chunk in chunks.prefix(chunks.count / 2) { try archiver.handle(chunk, artificial: &artificial) }
                try archiver.finishWrites(sync: false)
                archiver.abandon()
                #expect(store.files[name]!.size > UInt64(expected.count - event.readableBytes))
                archiver = try Self.archiver(store)
                artificial = ArtificialEventDecoder(hasCRC32: true)
                let size = try #require(archiver.currentIndex.files.last?.size)
                #expect(size == UInt64(expected.count - event.readableBytes))
                #expect(store.files[name]!.size == size, "the partial event was cut off the store's file")
                try archiver.handle(
                    ArchiveMySQLStreamTests.artificialRotate(to: name, position: size),
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
        #expect(store.files[name]?.bytes == expected)
        #expect(store.files[name]?.durableSize == UInt64(expected.count))
        #expect(store.index?.files.last?.size == UInt64(expected.count))
        #expect(store.index?.files.last?.events == UInt64(events.count))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/never-created"))

        // A flipped byte inside the first long event: the next archiver cuts the file back to its start.
        archiver.abandon()
        let longStart = expected.count - events[events.count - 1].readableBytes - events[events.count - 2].readableBytes
        store.overwrite(name, at: longStart + 1000, with: [expected[longStart + 1000] ^ 0x01])
        let resumed = try Self.archiver(store)
        #expect(resumed.currentIndex.files.last?.size == UInt64(longStart))
        #expect(store.files[name]?.bytes == Array(expected.prefix(longStart)))
    }
}
