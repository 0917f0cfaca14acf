import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive
@testable import BinlogFormat

/// MySQL 8 binlogs through the archiver, without a MySQL server (none runs here): the events of real MySQL 8.0
/// files are fed as a MySQL dump sends them (an artificial ROTATE, the FORMAT_DESCRIPTION with the in-use flag
/// cleared, then the file's events), once in one go and once with a restart in the middle, which resumes as the
/// server would (ROTATE at the archived size, the FORMAT_DESCRIPTION again with log_pos 0). The archived file must
/// be the original, byte for byte.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveMySQLStreamTests {
    static let files = [
        "mysql-cdc-rs/8.0/02_query_bigger/binlog.000733",  // MySQL 8.0.31, still open (in-use flag)
        "mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001",  // MySQL 8.0.40
    ]

    static func events(_ data: Data) -> [ByteBuffer] {
        let boundaries = ArchiveFileWriterTests.boundaries(data)
        return zip(boundaries, boundaries.dropFirst()).map { ByteBuffer(bytes: data[$0..<$1]) }
    }

    /// An event with a fresh CRC32 trailer over `header + body`.
    static func event(type: UInt8, nextPosition: UInt32, flags: UInt16, body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(0), endianness: .little)
        buffer.writeInteger(type)
        buffer.writeInteger(UInt32(1), endianness: .little)
        buffer.writeInteger(UInt32(19 + body.count + 4), endianness: .little)
        buffer.writeInteger(nextPosition, endianness: .little)
        buffer.writeInteger(flags, endianness: .little)
        buffer.writeBytes(body)
        let crc = buffer.withUnsafeReadableBytes { BinlogChecksum.crc32($0) }
        buffer.writeInteger(crc, endianness: .little)
        return buffer
    }

    static func artificialRotate(to name: String, position: UInt64) -> ByteBuffer {
        var body: [UInt8] = withUnsafeBytes(of: position.littleEndian, Array.init)
        body += Array(name.utf8)
        return Self.event(type: 4, nextPosition: 0, flags: BinlogEventHeader.flagArtificial, body: body)
    }

    /// The FORMAT_DESCRIPTION as a dump sends it (MySQL's `Binlog_sender::send_format_description_event`): in-use flag
    /// cleared; when resending it inside a file, log_pos and the `created` field 0 and the checksum computed again.
    /// The header's time and server_id stay the file's.
    static func sentFormatDescription(_ original: ByteBuffer, resent: Bool) -> ByteBuffer {
        var bytes = Array(original.readableBytesView)
        bytes[17] &= 0xFE
        guard resent else { return ByteBuffer(bytes: bytes) }
        bytes.replaceSubrange(13..<17, with: [0, 0, 0, 0])  // log_pos
        bytes.replaceSubrange((19 + 52)..<(19 + 56), with: [0, 0, 0, 0])  // created
        let crc = bytes.withUnsafeBytes { BinlogChecksum.crc32(UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        bytes.replaceSubrange((bytes.count - 4)..., with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        return ByteBuffer(bytes: bytes)
    }

    static func archiver(_ directory: String) throws -> BinlogArchiver {
        let archiver = BinlogArchiver(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 1), username: "unused", password: ""),
            options: ArchiveOptions(directory: directory),
            logger: testLogger
        )
        try archiver.prepare()
        return archiver
    }

    @Test(arguments: files)
    func aMySQL8FileArchivesByteForByteAlsoAcrossARestart(file: String) throws {
        let data = try Fixtures.data(file)
        let events = Self.events(data)
        let name = "binlog.000733"
        for restartAfter in [nil, 1, events.count / 2, events.count - 1] as [Int?] {
            let directory = try ArchiveTestFiles.temporaryDirectory("archive-mysql8")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var archiver = try Self.archiver(directory)
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            try archiver.handle(Self.artificialRotate(to: name, position: 4), artificial: &artificial)
            for (index, event) in events.enumerated() {
                if index == restartAfter {
                    // SIGKILL-like: nothing flushed beyond what handle() wrote; a new archiver resumes from disk.
                    try archiver.finishWrites(sync: false)
                    archiver.abandon()
                    archiver = try Self.archiver(directory)
                    artificial = ArtificialEventDecoder(hasCRC32: true)
                    let size = try #require(archiver.currentIndex.files.last?.size)
                    try archiver.handle(Self.artificialRotate(to: name, position: size), artificial: &artificial)
                    try archiver.handle(Self.sentFormatDescription(events[0], resent: true), artificial: &artificial)
                }
                let sent = index == 0 ? Self.sentFormatDescription(event, resent: false) : event
                try archiver.handle(sent, artificial: &artificial)
            }
            try archiver.finishWrites()
            let archived = try #require(FileManager.default.contents(atPath: directory + "/" + name))
            let label = "\(file), restart after \(restartAfter.map(String.init) ?? "none")"
            #expect(archived.count == data.count, "\(label)")
            #expect(
                archived == data,
                "\(label): first difference at \(Array(zip(archived, data)).firstIndex { $0.0 != $0.1 } ?? -1)")
            let entry = try #require(archiver.currentIndex.files.last)
            #expect(entry.size == UInt64(data.count), "\(label)")
            #expect(entry.events == UInt64(events.count), "\(label)")
        }
    }

    /// A dump resumed inside the file must send that file's FORMAT_DESCRIPTION (the same time and server_id): another
    /// file of the same name (after RESET MASTER, or another server's) is refused before anything of it is written.
    @Test func aResumedFileWhoseFormatDescriptionDiffersIsRefused() throws {
        let data = try Fixtures.data(Self.files[0])
        let events = Self.events(data)
        let name = "binlog.000733"
        for (offset, label) in [(0, "started at another time"), (5, "written by another server_id")] {
            let directory = try ArchiveTestFiles.temporaryDirectory("archive-mysql8-other")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var archiver = try Self.archiver(directory)
            var artificial = ArtificialEventDecoder(hasCRC32: true)
            try archiver.handle(Self.artificialRotate(to: name, position: 4), artificial: &artificial)
            for (index, event) in events.prefix(3).enumerated() {
                try archiver.handle(
                    index == 0 ? Self.sentFormatDescription(event, resent: false) : event, artificial: &artificial)
            }
            try archiver.finishWrites()
            archiver.abandon()
            let before = try ArchiveTestFiles.sha256(directory + "/" + name)
            archiver = try Self.archiver(directory)
            artificial = ArtificialEventDecoder(hasCRC32: true)
            let size = try #require(archiver.currentIndex.files.last?.size)
            try archiver.handle(Self.artificialRotate(to: name, position: size), artificial: &artificial)
            // The other file's FORMAT_DESCRIPTION, as the server sends it on resuming.
            var other = Array(events[0].readableBytesView)
            other[offset] &+= 1
            let crc = other.withUnsafeBytes { BinlogChecksum.crc32(UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
            other.replaceSubrange((other.count - 4)..., with: withUnsafeBytes(of: crc.littleEndian, Array.init))
            let error = #expect(throws: ArchiveError.self, "\(label)") {
                try archiver.handle(
                    Self.sentFormatDescription(ByteBuffer(bytes: other), resent: true), artificial: &artificial)
                try archiver.handle(events[3], artificial: &artificial)
            }
            #expect(error?.reason.contains("is not the file the archive holds under that name") == true, "\(label)")
            #expect(error?.isTransient == false)
            try archiver.finishWrites()
            #expect(try ArchiveTestFiles.sha256(directory + "/" + name) == before, "\(label): nothing was written")
        }
    }

    @Test func aDamagedEventIsNotWritten() throws {
        let data = try Fixtures.data(Self.files[0])
        let events = Self.events(data)
        let directory = try ArchiveTestFiles.temporaryDirectory("archive-damaged")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let archiver = try Self.archiver(directory)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(Self.artificialRotate(to: "binlog.000001", position: 4), artificial: &artificial)
        try archiver.handle(Self.sentFormatDescription(events[0], resent: false), artificial: &artificial)
        try archiver.handle(events[1], artificial: &artificial)
        var damaged = events[2]
        damaged.setInteger(damaged.getInteger(at: 25, as: UInt8.self)! ^ 0x01, at: 25)
        let error = #expect(throws: ArchiveError.self) { try archiver.handle(damaged, artificial: &artificial) }
        #expect(error?.reason.contains("CRC32") == true, "\(String(describing: error))")
        #expect(error?.offset == UInt64(4 + events[0].readableBytes + events[1].readableBytes))
        try archiver.finishWrites()
        #expect(archiver.currentIndex.files.last?.size == UInt64(4 + events[0].readableBytes + events[1].readableBytes))
    }
}
