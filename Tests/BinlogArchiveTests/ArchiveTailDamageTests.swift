import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// Damage to the tail of an archived file that keeps its size (a flipped byte, zeroed bytes) or cuts it anywhere in
/// its last two events: resuming checks every event again, cuts back to the last good one, and the events the
/// server sends again make the copy byte-identical to the original. The index is never ahead of the durable data.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveTailDamageTests {
    struct Crash: Error {}

    static let file = ArchiveMySQLStreamTests.files[0]
    static let name = "binlog.000733"

    /// Archives all of `events` as a MySQL dump sends them; returns the directory.
    static func archiveAll(_ events: [ByteBuffer]) throws -> String {
        let directory = try ArchiveTestFiles.temporaryDirectory("tail-damage")
        let archiver = try ArchiveMySQLStreamTests.archiver(directory)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(
            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4), artificial: &artificial)
        for (index, event) in events.enumerated() {
            let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
            try archiver.handle(sent, artificial: &artificial)
        }
        try archiver.finishWrites()
        archiver.abandon()
        return directory
    }

    /// Resumes the archive as the next run would, and lets "the server" send what the archive lacks.
    static func resume(_ directory: String, events: [ByteBuffer]) throws -> BinlogArchiver {
        let archiver = try ArchiveMySQLStreamTests.archiver(directory)
        let size = try #require(archiver.currentIndex.files.last?.size)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(
            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: size), artificial: &artificial)
        if size > 4 {
            try archiver.handle(
                ArchiveMySQLStreamTests.sentFormatDescription(events[0], resent: true), artificial: &artificial)
        }
        var offset: UInt64 = 4
        for (index, event) in events.enumerated() {
            defer { offset += UInt64(event.readableBytes) }
            guard offset >= size else { continue }
            let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
            try archiver.handle(sent, artificial: &artificial)
        }
        try archiver.finishWrites()
        return archiver
    }

    enum Damage: CustomStringConvertible {
        case flip(at: Int)
        case zero(last: Int)
        case cut(at: Int)
        var description: String {
            switch self {
            case .flip(let at): "byte \(at) flipped"
            case .zero(let last): "last \(last) bytes zeroed"
            case .cut(let at): "cut at \(at)"
            }
        }
    }

    static func damages(_ data: Data) -> [Damage] {
        let boundaries = ArchiveFileWriterTests.boundaries(data)
        let secondLast = boundaries[boundaries.count - 3]
        var damages: [Damage] = [
            .flip(at: data.count - 10), .flip(at: boundaries[boundaries.count - 2] + 20), .zero(last: 100),
        ]
        damages += (secondLast..<data.count).map { Damage.cut(at: $0) }  // every offset of the last two events
        return damages
    }

    @Test func resumeRestoresAByteIdenticalCopyAfterTailDamage() throws {
        let data = try Fixtures.data(Self.file)
        let events = ArchiveMySQLStreamTests.events(data)
        let pristine = try Self.archiveAll(events)
        defer { try? FileManager.default.removeItem(atPath: pristine) }
        let archivedOriginal = try #require(FileManager.default.contents(atPath: pristine + "/" + Self.name))
        #expect(archivedOriginal == data)
        let index = try #require(FileManager.default.contents(atPath: pristine + "/" + ArchiveIndex.fileName))
        for damage in Self.damages(data) {
            let directory = try ArchiveTestFiles.temporaryDirectory("tail-damage")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var bytes = data
            switch damage {
            case .flip(let at): bytes[at] ^= 0x5A
            case .zero(let last): bytes.replaceSubrange((bytes.count - last)..., with: Data(count: last))
            case .cut(let at): bytes = bytes.prefix(at)
            }
            // The index still records the whole, undamaged size (the damage came after it was saved).
            #expect(FileManager.default.createFile(atPath: directory + "/" + Self.name, contents: bytes))
            #expect(FileManager.default.createFile(atPath: directory + "/" + ArchiveIndex.fileName, contents: index))
            let archiver = try Self.resume(directory, events: events)
            let restored = try #require(FileManager.default.contents(atPath: directory + "/" + Self.name))
            #expect(
                restored == data,
                "\(damage): first difference at \(zip(restored, data).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(restored.count, data.count))"
            )
            #expect(archiver.currentIndex.files.last?.size == UInt64(data.count), "\(damage)")
            #expect(archiver.currentIndex.files.last?.events == UInt64(events.count), "\(damage)")
            archiver.abandon()
        }
    }

    @Test func theIndexNeverRecordsBytesThatAreNotDurable() throws {
        let data = try Fixtures.data(Self.file)
        let events = ArchiveMySQLStreamTests.events(data)
        let directory = try ArchiveTestFiles.temporaryDirectory("durable-index")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let archiver = try ArchiveMySQLStreamTests.archiver(directory)
        var saves = 0
        archiver.beforeIndexSave = { index, durable in
            saves += 1
            guard let open = index.files.last(where: { $0.state == .open }) else { return }
            #expect(open.size <= durable ?? 0, "the index records \(open.size) bytes, only \(durable ?? 0) are durable")
        }
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(
            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4), artificial: &artificial)
        let heartbeat = ArchiveMySQLStreamTests.event(
            type: 27, nextPosition: 0, flags: 0x20, body: Array("binlog.000733".utf8))
        for (index, event) in events.enumerated() {
            let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
            try archiver.handle(sent, artificial: &artificial)
            // An idle server's heartbeat between events: the path that used to save the index before an fsync.
            try archiver.handle(heartbeat, artificial: &artificial)
        }
        try archiver.finishWrites()
        #expect(saves >= 2)
    }

    @Test func aCrashBetweenTheDataWriteAndTheIndexSaveLosesNothing() throws {
        let data = try Fixtures.data(Self.file)
        let events = ArchiveMySQLStreamTests.events(data)
        for failingSave in 1...3 {
            let directory = try ArchiveTestFiles.temporaryDirectory("crash-before-index")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let archiver = try ArchiveMySQLStreamTests.archiver(directory)
            var saves = 0
            archiver.beforeIndexSave = { _, _ in
                saves += 1
                if saves == failingSave { throw Crash() }  // the data is written and synced; the index is not
            }
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            let heartbeat = ArchiveMySQLStreamTests.event(
                type: 27, nextPosition: 0, flags: 0x20, body: Array("binlog.000733".utf8))
            do {
                try archiver.handle(
                    ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4), artificial: &artificial)
                for (index, event) in events.enumerated() {
                    let sent = index == 0 ? ArchiveMySQLStreamTests.sentFormatDescription(event, resent: false) : event
                    try archiver.handle(sent, artificial: &artificial)
                    if index % 3 == 0 { try archiver.handle(heartbeat, artificial: &artificial) }
                }
                try archiver.finishWrites()
            } catch is Crash {}
            archiver.abandon()
            let resumed = try Self.resume(directory, events: events)
            let restored = try #require(FileManager.default.contents(atPath: directory + "/" + Self.name))
            #expect(restored == data, "crash at index save \(failingSave)")
            resumed.abandon()
        }
    }
}
