import BinlogFormat
import MySQLWire
import NIOCore
import Testing

@testable import BinlogArchive

/// What each event or chunk of a dump means for the archive, without a server, a store or a clock: chunks
/// assembled or streamed, rotations and heartbeats, events that do not continue the file, the tail of a resumed
/// file compared instead of written, and what follows an event in its file.
@Suite struct ArchiveStreamStateMachineTests {
    typealias Machine = ArchiveStreamStateMachine
    static let name = "mysql-bin.000007"

    static func file(size: UInt64, name: String = Self.name) -> Machine.OpenFile {
        Machine.OpenFile(name: name, size: size, location: "/archive/" + name)
    }

    /// A file event of `size` bytes (type 30, WRITE_ROWS) ending at `end`.
    static func rows(size: Int, end: UInt64) -> ByteBuffer {
        Self.event(type: 30, nextPosition: UInt32(end), size: size)
    }

    static func event(type: UInt8, nextPosition: UInt32, flags: UInt16 = 0, size: Int) -> ByteBuffer {
        let body = [UInt8](repeating: 0x5A, count: size - 19 - 4)
        return ArchiveMySQLStreamTests.event(type: type, nextPosition: nextPosition, flags: flags, body: body)
    }

    static func chunks(_ event: ByteBuffer, sizes: [Int]) -> [BinlogEventChunk] {
        var rest = event
        var chunks: [BinlogEventChunk] = []
        for size in sizes {
            let bytes = rest.readSlice(length: min(size, rest.readableBytes))!
            chunks.append(BinlogEventChunk(bytes: bytes, isFirst: chunks.isEmpty, isLast: rest.readableBytes == 0))
        }
        return chunks
    }

    static func header(_ event: ByteBuffer) throws -> BinlogEventHeader {
        try #require(BinlogEventHeader(peekingAt: event))
    }

    // MARK: - Chunks

    @Test func aLongFileEventIsStreamedChunkByChunkAtTheFilesEnd() throws {
        var machine = Machine(archive: "/archive")
        let event = Self.rows(size: 200_000, end: 1000 + 200_000)
        var offsets: [UInt64] = []
        for chunk in Self.chunks(event, sizes: [19, 100_000, 99_981]) {
            guard
                case .stream(let bytes, let offset, let comparing) = try machine.chunk(
                    chunk, file: Self.file(size: 1000))
            else {
                Issue.record("not streamed")
                return
            }
            #expect(!comparing)
            #expect(bytes == chunk.bytes)
            offsets.append(offset)
        }
        #expect(offsets == [1000, 1019, 101_019])
        let end = machine.endStreamedEvent()
        let ended = try #require(end)
        #expect(ended.isComplete && ended.start == 1000 && ended.end == 201_000)
        #expect(!machine.isInsideEvent)
    }

    @Test func aShortKindIsHeldUntilItsLastChunkThenTakenWhole() throws {
        var machine = Machine(archive: "/archive")
        let rotate = Self.event(type: 4, nextPosition: 600, size: 100)
        let chunks = Self.chunks(rotate, sizes: [40, 30, 30])
        #expect(try machine.chunk(chunks[0], file: Self.file(size: 500)) == .nothing)
        #expect(try machine.chunk(chunks[1], file: Self.file(size: 500)) == .nothing)
        #expect(try machine.chunk(chunks[2], file: Self.file(size: 500)) == .whole(rotate))
        #expect(try machine.chunk(BinlogEventChunk(wholeEvent: rotate), file: nil) == .whole(rotate))
    }

    @Test func chunksOutOfOrderAreAProtocolViolation() throws {
        var machine = Machine(archive: "/archive")
        let chunks = Self.chunks(Self.rows(size: 1000, end: 1004), sizes: [500, 500])
        let orphan = #expect(throws: MySQLError.self) { try machine.chunk(chunks[1], file: Self.file(size: 4)) }
        #expect(orphan?.code == .protocolViolation)
        _ = try machine.chunk(chunks[0], file: Self.file(size: 4))
        let restart = #expect(throws: MySQLError.self) { try machine.chunk(chunks[0], file: Self.file(size: 4)) }
        #expect(restart?.reason.contains("began before the previous one ended") == true)
    }

    @Test func aShortKindAnnouncedHugeIsRefusedBeforeAnythingIsHeld() {
        var machine = Machine(archive: "/archive")
        var header = Self.event(type: 15, nextPosition: 0, size: 100)
        header.setInteger(UInt32(Machine.heldEventLimit + 1), at: 9, endianness: .little)
        let first = BinlogEventChunk(bytes: header.getSlice(at: 0, length: 19)!, isFirst: true, isLast: false)
        let error = #expect(throws: MySQLError.self) { try machine.chunk(first, file: Self.file(size: 4)) }
        #expect(error?.reason.contains("a kind that is a few hundred bytes long") == true)
    }

    @Test func aLongEventThatDoesNotContinueTheFileIsATransientError() {
        var machine = Machine(archive: "/archive")
        let first = Self.chunks(Self.rows(size: 100_000, end: 999_999), sizes: [50_000])[0]
        let error = #expect(throws: ArchiveError.self) { try machine.chunk(first, file: Self.file(size: 1000)) }
        #expect(error?.isTransient == true && error?.offset == 1000 && error?.path == "/archive/" + Self.name)
    }

    @Test func theStreamBrokenInsideALongEventHandsItBackToBeCutOff() throws {
        var machine = Machine(archive: "/archive")
        let first = Self.chunks(Self.rows(size: 100_000, end: 100_004), sizes: [50_000])[0]
        _ = try machine.chunk(first, file: Self.file(size: 4))
        #expect(machine.isInsideEvent)
        let dropped = machine.abandonIncomingEvent()
        let abandoned = try #require(dropped)
        #expect(abandoned.start == 4 && abandoned.received == 50_000)
        #expect(!machine.isInsideEvent)
        let again = machine.abandonIncomingEvent()
        #expect(again == nil)
    }

    // MARK: - Whole events

    @Test func heartbeatsRotationsAndArtificialEventsSteer() throws {
        var machine = Machine(archive: "/archive")
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let heartbeat = Self.event(type: 27, nextPosition: 0, flags: BinlogEventHeader.flagArtificial, size: 40)
        #expect(try machine.route(heartbeat, file: Self.file(size: 500), artificial: &artificial) == .caughtUp)
        let rotate = ArchiveMySQLStreamTests.artificialRotate(to: "mysql-bin.000008", position: 4)
        #expect(
            try machine.route(rotate, file: Self.file(size: 500), artificial: &artificial)
                == .rotate(name: "mysql-bin.000008", position: 4)
        )
        let artificialRows = Self.event(type: 30, nextPosition: 600, flags: BinlogEventHeader.flagArtificial, size: 100)
        #expect(try machine.route(artificialRows, file: Self.file(size: 500), artificial: &artificial) == .skip)
        // A dump that starts inside a file sends its FORMAT_DESCRIPTION again: not archived twice.
        let formatDescription = Self.event(type: 15, nextPosition: 0, size: 100)
        #expect(try machine.route(formatDescription, file: Self.file(size: 500), artificial: &artificial) == .skip)
        #expect(try machine.route(formatDescription, file: nil, artificial: &artificial) == .skip)
        let rows = Self.rows(size: 100, end: 600)
        #expect(try machine.route(rows, file: Self.file(size: 500), artificial: &artificial) == .append(offset: 500))
    }

    @Test func aFileEventBeforeAnyFileIsNamedIsATransientError() {
        var machine = Machine(archive: "/archive")
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let error = #expect(throws: ArchiveError.self) {
            try machine.route(Self.rows(size: 100, end: 104), file: nil, artificial: &artificial)
        }
        #expect(error?.isTransient == true && error?.path == "/archive")
    }

    @Test func afterARotateTheNextFilesEventsOpenTheFileItNamed() throws {
        var machine = Machine(archive: "/archive")
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let rotate = Self.event(type: 4, nextPosition: 600, size: 100)
        let inspection = ArchiveEventInspector.Inspection(
            header: try Self.header(rotate),
            rotate: RotateEvent(position: 4, nextFileName: "mysql-bin.000008")
        )
        let action = machine.committed(
            try Self.header(rotate),
            inspection: inspection,
            sinceLastSave: .zero,
            syncInterval: .seconds(2)
        )
        #expect(action == Machine.CommitAction(completeFile: "rotate"))
        let formatDescription = Self.event(type: 15, nextPosition: 120, size: 116)
        #expect(
            try machine.route(formatDescription, file: nil, artificial: &artificial)
                == .openNextFile("mysql-bin.000008")
        )
        #expect(try machine.fileNamed("mysql-bin.000008", position: 4, file: nil) == .switchFile)
        #expect(
            try machine.route(
                formatDescription, file: Self.file(size: 4, name: "mysql-bin.000008"), artificial: &artificial)
                == .append(offset: 4)
        )
    }

    @Test func theDumpMustResumeTheFileBeingWrittenAtItsEnd() throws {
        var machine = Machine(archive: "/archive")
        #expect(try machine.fileNamed(Self.name, position: 500, file: Self.file(size: 500)) == .goOn)
        #expect(try machine.fileNamed("mysql-bin.000008", position: 4, file: Self.file(size: 500)) == .switchFile)
        let error = #expect(throws: ArchiveError.self) {
            try machine.fileNamed(Self.name, position: 400, file: Self.file(size: 500))
        }
        #expect(error?.isTransient == true && error?.reason.contains("resumes \(Self.name) at 400") == true)
    }

    // MARK: - A tail fetched again

    @Test func theTailOfAFileWithoutChecksumsIsComparedUpToItsEndThenAppended() throws {
        var machine = Machine(archive: "/archive")
        machine.refetch = (from: 300, to: 500)
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        let file = Self.file(size: 500)
        #expect(try machine.fileNamed(Self.name, position: 300, file: file) == .goOn)
        let first = Self.rows(size: 120, end: 420)
        #expect(try machine.route(first, file: file, artificial: &artificial) == .compare(offset: 300))
        machine.compared(upTo: 420, file: file)
        // The server must send the archive's next event, not any other.
        #expect(throws: ArchiveError.self) {
            try machine.route(Self.rows(size: 80, end: 999), file: file, artificial: &artificial)
        }
        let second = Self.rows(size: 80, end: 500)
        #expect(try machine.route(second, file: file, artificial: &artificial) == .compare(offset: 420))
        machine.compared(upTo: 500, file: file)
        #expect(machine.refetch == nil, "comparing ends at the archive's end")
        #expect(
            try machine.route(Self.rows(size: 50, end: 550), file: file, artificial: &artificial)
                == .append(offset: 500))
    }

    @Test func aLongEventThatDiffersFromTheArchiveIsWrittenFromWhereItDiffers() throws {
        var machine = Machine(archive: "/archive")
        machine.refetch = (from: 300, to: 500)
        let file = Self.file(size: 500)
        _ = try machine.fileNamed(Self.name, position: 300, file: file)
        let chunks = Self.chunks(Self.rows(size: 100_000, end: 100_300), sizes: [50_000, 50_000])
        #expect(try machine.chunk(chunks[0], file: file) == .stream(chunks[0].bytes, offset: 300, comparing: true))
        machine.archiveDiffers()
        #expect(machine.refetch == nil)
        #expect(try machine.chunk(chunks[1], file: file) == .stream(chunks[1].bytes, offset: 50_300, comparing: false))
        let end = machine.endStreamedEvent()
        let ended = try #require(end)
        #expect(ended.replacedArchive && !ended.isComparing)
    }

    // MARK: - After an event

    @Test(arguments: [(UInt8(16), true), (UInt8(2), true), (UInt8(30), false), (UInt8(19), false)])
    func theEndOfATransactionIsFlushed(type: UInt8, flushes: Bool) throws {
        var machine = Machine(archive: "/archive")
        let header = try Self.header(Self.event(type: type, nextPosition: 600, size: 100))
        let action = machine.committed(
            header,
            inspection: ArchiveEventInspector.Inspection(header: header),
            sinceLastSave: .seconds(1),
            syncInterval: .seconds(2)
        )
        #expect(action == Machine.CommitAction(flush: flushes, sync: false))
    }

    @Test func theFileIsSyncedOnceTheStoresIntervalHasPassed() throws {
        var machine = Machine(archive: "/archive")
        let header = try Self.header(Self.rows(size: 100, end: 600))
        let inspection = ArchiveEventInspector.Inspection(header: header)
        let early = machine.committed(
            header,
            inspection: inspection,
            sinceLastSave: .milliseconds(9_999),
            syncInterval: .seconds(10)
        )
        #expect(!early.sync)
        let due = machine.committed(
            header, inspection: inspection, sinceLastSave: .seconds(10), syncInterval: .seconds(10))
        #expect(due.sync)
    }
}
