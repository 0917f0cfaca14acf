import BinlogFormat
import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// The archiver's timing on a clock the test moves: the open file is made durable (an S3 store uploads a segment)
/// once per upload interval while events stream, progress is reported at most every 250 ms, and a heartbeat reports
/// the archive caught up. Nothing sleeps.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs ../shared/fixtures/binlogs"))
struct ArchiveClockTimingTests {
    static let name = "binlog.000733"

    final class Reports {
        var events: [ArchiverEvent] = []
        var progress: Int { self.events.filter { if case .progress = $0 { true } else { false } }.count }
        var caughtUp: Int { self.events.filter { if case .caughtUp = $0 { true } else { false } }.count }
    }

    /// An archiver on a memory store with `interval`, its file started with the fixture's FORMAT_DESCRIPTION.
    static func archiver(
        _ store: MemoryArchiveStore,
        clock: ManualArchiveClock,
        events: [ByteBuffer],
        reports: Reports
    ) throws -> (BinlogArchiver, ArtificialEventDecoder) {
        let archiver = BinlogArchiver(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 1), username: "unused", password: ""),
            options: ArchiveOptions(directory: "/nonexistent/never-created"),
            logger: testLogger,
            clock: clock,
            openStore: { _ in store }
        )
        try archiver.prepare()
        archiver.report = { reports.events.append($0) }
        var artificial = ArtificialEventDecoder(hasCRC32: true)
        try archiver.handle(
            ArchiveMySQLStreamTests.artificialRotate(to: Self.name, position: 4), artificial: &artificial)
        try archiver.handle(
            ArchiveMySQLStreamTests.sentFormatDescription(events[0], resent: false),
            artificial: &artificial
        )
        return (archiver, artificial)
    }

    @Test func theOpenFileIsMadeDurableOncePerUploadIntervalOfTheClock() throws {
        let events = ArchiveMySQLStreamTests.events(try Fixtures.data(ArchiveMySQLStreamTests.files[0]))
        try #require(events.count >= 6, "the fixture has \(events.count) events")
        let store = MemoryArchiveStore()
        store.syncInterval = .seconds(10)
        let clock = ManualArchiveClock()
        let (archiver, decoder) = try Self.archiver(store, clock: clock, events: events, reports: Reports())
        var artificial = decoder
        let file = try #require(store.files[Self.name])
        let savesAtStart = store.saves
        let durableAtStart = file.durableSize

        try archiver.handle(events[1], artificial: &artificial)
        clock.advance(by: .milliseconds(9_999))
        try archiver.handle(events[2], artificial: &artificial)
        #expect(file.durableSize == durableAtStart, "within the interval nothing is made durable")
        #expect(store.saves == savesAtStart)
        #expect(file.size > durableAtStart)

        clock.advance(by: .milliseconds(1))
        try archiver.handle(events[3], artificial: &artificial)
        #expect(file.durableSize == file.size, "10 s after the last save the file is made durable")
        #expect(store.saves == savesAtStart + 1, "and the index saved after it")
        #expect(store.index?.files.last?.size == file.size)

        // The next interval starts at that save.
        let durable = file.durableSize
        clock.advance(by: .seconds(9))
        try archiver.handle(events[4], artificial: &artificial)
        #expect(file.durableSize == durable && store.saves == savesAtStart + 1)
        clock.advance(by: .seconds(1))
        try archiver.handle(events[5], artificial: &artificial)
        #expect(file.durableSize == file.size && store.saves == savesAtStart + 2)
    }

    @Test func progressIsReportedAtMostEvery250MillisecondsAndAHeartbeatReportsCaughtUp() throws {
        let events = ArchiveMySQLStreamTests.events(try Fixtures.data(ArchiveMySQLStreamTests.files[0]))
        try #require(events.count >= 5, "the fixture has \(events.count) events")
        let clock = ManualArchiveClock()
        let reports = Reports()
        let (archiver, decoder) = try Self.archiver(
            MemoryArchiveStore(), clock: clock, events: events, reports: reports)
        var artificial = decoder
        try archiver.handle(events[1], artificial: &artificial)
        try archiver.handle(events[2], artificial: &artificial)
        #expect(reports.progress == 0)
        clock.advance(by: .milliseconds(250))
        try archiver.handle(events[3], artificial: &artificial)
        #expect(reports.progress == 1)
        clock.advance(by: .milliseconds(249))
        try archiver.handle(events[4], artificial: &artificial)
        #expect(reports.progress == 1)

        // A heartbeat: the event not yet reported is, and the archive is caught up at the file's end.
        let heartbeat = ArchiveMySQLStreamTests.event(
            type: 27,
            nextPosition: 0,
            flags: BinlogEventHeader.flagArtificial,
            body: Array(Self.name.utf8)
        )
        try archiver.handle(heartbeat, artificial: &artificial)
        #expect(reports.progress == 2)
        #expect(reports.caughtUp == 1)
        guard case .caughtUp(let file, let position)? = reports.events.last else {
            Issue.record("no caughtUp report: \(reports.events)")
            return
        }
        #expect(file == Self.name)
        #expect(position == UInt64(4 + events.prefix(5).reduce(0) { $0 + $1.readableBytes }))
    }
}
