import Foundation
import Testing

@testable import BinlogArchive

/// Where the archive starts, which gaps it records and what it refuses, from what the archive holds and what the
/// server lists: without a server.
@Suite struct ArchivePlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static var planner: ArchivePlanner { ArchivePlanner(archive: "/archive", locate: { "/archive/" + $0 }, now: now) }

    static func logs(_ numbers: ClosedRange<Int>, base: String = "mysql-bin") -> [String] {
        numbers.map { BinlogFileName(base: base, number: $0, width: 6).name }
    }

    static func name(_ number: Int) -> String { Self.logs(number...number)[0] }

    /// An archive whose files are `numbers`, the last one in `lastState`, each `size` bytes.
    static func archive(
        _ numbers: ClosedRange<Int>,
        lastState: ArchivedFile.State = .complete,
        size: UInt64 = 1000,
        serverID: UInt32? = 1
    ) -> ArchiveIndex {
        var index = ArchiveIndex()
        index.serverID = serverID
        index.files = numbers.map { ArchivedFile(name: Self.name($0), size: size, state: .complete) }
        index.files[index.files.count - 1].state = lastState
        return index
    }

    static func start(
        _ logs: [String],
        _ index: ArchiveIndex = ArchiveIndex(),
        start: ArchiveOptions.Start = .oldest,
        gtidStartFile: String? = nil,
        refetchFrom: UInt64? = nil
    ) throws -> ArchiveStartPlan {
        try Self.planner.start(
            serverLogs: logs,
            archive: index,
            start: start,
            gtidStartFile: gtidStartFile,
            refetchFrom: refetchFrom
        )
    }

    // MARK: - Start

    @Test func anEmptyArchiveStartsAtTheServersOldestFileEvenWhenOlderOnesArePurged() throws {
        // The server purged 1…4 long ago: nothing was archived, so nothing is a gap.
        #expect(try Self.start(Self.logs(5...7)) == ArchiveStartPlan(file: Self.name(5), position: 4))
    }

    @Test func anEmptyArchiveStartsAtTheFileAskedForOrSaysWhatTheServerHas() throws {
        #expect(
            try Self.start(Self.logs(5...7), start: .file(Self.name(6)))
                == ArchiveStartPlan(file: Self.name(6), position: 4)
        )
        let error = #expect(throws: ArchiveError.self) {
            try Self.start(Self.logs(5...7), start: .file(Self.name(2)))
        }
        #expect(
            error?.reason
                == "the server has no binlog mysql-bin.000002; it has mysql-bin.000005 … mysql-bin.000007 (SHOW BINARY LOGS)"
        )
    }

    @Test func anEmptyArchiveStartsAtTheFileTheServerNamedForAGTIDSetWhileItHasIt() throws {
        let start = ArchiveOptions.Start.gtid("0-1-50")
        #expect(
            try Self.start(Self.logs(5...7), start: start, gtidStartFile: Self.name(7))
                == ArchiveStartPlan(file: Self.name(7), position: 4)
        )
        let error = #expect(throws: ArchiveError.self) {
            try Self.start(Self.logs(5...7), start: start, gtidStartFile: Self.name(4))
        }
        #expect(error?.reason.contains("--from-gtid position is gone") == true)
    }

    @Test func aServerWithoutBinlogsIsRefused() {
        let error = #expect(throws: ArchiveError.self) { try Self.start([]) }
        #expect(error?.reason.contains("SHOW BINARY LOGS is empty") == true)
    }

    @Test func anArchiveGoesOnAfterItsLastArchivedByteWhateverTheOptionsSay() throws {
        let index = Self.archive(3...5, lastState: .open, size: 123_456)
        let plan = try Self.start(Self.logs(4...6), index, start: .file(Self.name(6)))
        #expect(plan == ArchiveStartPlan(file: Self.name(5), position: 123_456))
        // A tail without checksums is fetched again from an earlier event boundary and compared.
        #expect(
            try Self.start(Self.logs(4...6), index, refetchFrom: 60_000)
                == ArchiveStartPlan(file: Self.name(5), position: 60_000)
        )
    }

    @Test func aCompleteLastFileTheServerStillHasIsNamedAtItsEnd() throws {
        // The dump then names it first (``ArchivePlanner/nextFile``: already archived) and goes on with the next.
        let index = Self.archive(3...5, lastState: .complete, size: 999)
        #expect(try Self.start(Self.logs(5...6), index) == ArchiveStartPlan(file: Self.name(5), position: 999))
        #expect(
            try Self.planner.nextFile(Self.name(5), position: 999, archive: index, gapReportedBefore: [])
                == .alreadyArchived
        )
    }

    // MARK: - Gaps

    @Test func filesPurgedInTheMiddleAreAGapAfterTheArchivesLastFile() throws {
        let index = Self.archive(1...3, lastState: .complete, size: 500)
        let plan = try Self.start(Self.logs(6...8), index)
        #expect(plan.file == Self.name(6) && plan.position == 4)
        #expect(!plan.lastFileIsIncomplete)
        #expect(
            plan.gap
                == ArchiveGap(
                    afterFile: Self.name(3),
                    afterPosition: 500,
                    missingFiles: [Self.name(4), Self.name(5)],
                    resumedAt: Self.name(6),
                    detectedAt: Self.now,
                    reason: "the server purged these files before they were archived"
                )
        )
    }

    @Test func anOpenLastFilePurgedBeforeItsEndIsIncompleteAndAGap() throws {
        let index = Self.archive(1...3, lastState: .open, size: 700)
        let plan = try Self.start(Self.logs(4...5), index)
        #expect(plan.file == Self.name(4) && plan.position == 4)
        #expect(plan.lastFileIsIncomplete)
        let gap = try #require(plan.gap)
        #expect(gap.afterFile == Self.name(3) && gap.afterPosition == 700)
        #expect(gap.missingFiles.isEmpty)
        #expect(gap.reason == "the server purged mysql-bin.000003 before it was archived to its end")
    }

    @Test func aCompleteLastFilePurgedWithNothingMissingIsNoGap() throws {
        let index = Self.archive(1...3, lastState: .complete)
        #expect(try Self.start(Self.logs(4...5), index) == ArchiveStartPlan(file: Self.name(4), position: 4))
    }

    @Test func filesPurgedWhileStreamingAreAGapWhenTheDumpNamesTheNextFile() throws {
        let index = Self.archive(1...3, lastState: .complete, size: 800)
        let step = try Self.planner.nextFile(Self.name(6), position: 4, archive: index, gapReportedBefore: [])
        let gap = ArchiveGap(
            afterFile: Self.name(3),
            afterPosition: 800,
            missingFiles: [Self.name(4), Self.name(5)],
            resumedAt: Self.name(6),
            detectedAt: Self.now,
            reason: "the server purged these files before they were archived"
        )
        #expect(step == .start(gapBefore: gap))
        // Recorded when the connection started: not again.
        #expect(
            try Self.planner.nextFile(Self.name(6), position: 4, archive: index, gapReportedBefore: [Self.name(6)])
                == .start(gapBefore: nil)
        )
        #expect(
            try Self.planner.nextFile(Self.name(4), position: 4, archive: index, gapReportedBefore: [])
                == .start(gapBefore: nil)
        )
    }

    // MARK: - Refusals

    @Test func aResetBinlogIsRefusedWhenTheServersFilesDoNotFollowTheArchive() {
        // RESET MASTER: the server numbers from 1 again, below the archive's last file.
        let index = Self.archive(7...9)
        let error = #expect(throws: ArchiveError.self) { try Self.start(Self.logs(1...2), index) }
        #expect(error?.reason.contains("was the binlog reset (RESET MASTER)") == true, "\(String(describing: error))")
        #expect(error?.reason.contains("mysql-bin.000001 … mysql-bin.000002") == true)
        #expect(error?.path == "/archive")
    }

    @Test func anotherServersBinlogNamesAreRefused() {
        let index = Self.archive(7...9)
        let error = #expect(throws: ArchiveError.self) { try Self.start(Self.logs(10...11, base: "db2-bin"), index) }
        #expect(error?.reason.contains("or is this another server?") == true)
    }

    @Test func aFileNameTheArchiveAlreadyHoldsIsRefusedAsAResetThatReusedIt() {
        // After RESET MASTER and enough rotations, the server writes mysql-bin.000008 again: other bytes, same name.
        let index = Self.archive(7...9)
        let error = #expect(throws: ArchiveError.self) {
            try Self.planner.nextFile(Self.name(8), position: 4, archive: index, gapReportedBefore: [])
        }
        #expect(error?.reason.contains("sends mysql-bin.000008 again but the archive already has it") == true)
        #expect(error?.path == "/archive/mysql-bin.000008")
        // The last file, at another size than archived, is not "already archived" either.
        #expect(throws: ArchiveError.self) {
            try Self.planner.nextFile(Self.name(9), position: 4, archive: index, gapReportedBefore: [])
        }
    }

    @Test func aFileThatDoesNotFollowTheArchiveIsRefused() {
        let index = Self.archive(7...9)
        let lower = #expect(throws: ArchiveError.self) {
            try Self.planner.nextFile(Self.name(5), position: 4, archive: index, gapReportedBefore: [])
        }
        #expect(lower?.reason.contains("which does not follow the archive's mysql-bin.000009") == true)
        #expect(throws: ArchiveError.self) {
            try Self.planner.nextFile("other-bin.000010", position: 4, archive: index, gapReportedBefore: [])
        }
    }

    @Test func aNewFileMustStartAtItsFirstEvent() {
        let error = #expect(throws: ArchiveError.self) {
            try Self.planner.nextFile(
                Self.name(10), position: 1234, archive: Self.archive(7...9), gapReportedBefore: [])
        }
        #expect(error?.reason.contains("needs it from byte 4") == true)
        #expect(error?.path == "/archive/mysql-bin.000010")
    }

    @Test func theArchiversOwnServerIDAndAnotherServerAreRefused() throws {
        let index = Self.archive(1...2, serverID: 7)
        try Self.planner.checkServer(serverID: 7, ownServerID: 99, server: "db:3306", index: index)
        try Self.planner.checkServer(serverID: nil, ownServerID: 99, server: "db:3306", index: index)
        try Self.planner.checkServer(serverID: 8, ownServerID: 99, server: "db:3306", index: ArchiveIndex())
        let own = #expect(throws: ArchiveError.self) {
            try Self.planner.checkServer(serverID: 99, ownServerID: 99, server: "db:3306", index: index)
        }
        #expect(own?.reason.contains("--server-id 99 is the server's own server_id") == true)
        let other = #expect(throws: ArchiveError.self) {
            try Self.planner.checkServer(serverID: 8, ownServerID: 99, server: "db:3306", index: index)
        }
        #expect(
            other?.reason
                == "this archive holds the binlogs of server_id 7, but db:3306 is server_id 8; archive it into another "
                + "directory (or S3 prefix)"
        )
    }
}
