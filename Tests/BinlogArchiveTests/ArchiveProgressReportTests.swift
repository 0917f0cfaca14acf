import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// What the archiver reports for its metrics: the last event of a burst is reported before the archive says it
/// caught up, with the server's timestamp of that event, so the metrics never lag behind the archive.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
struct ArchiveProgressReportTests {
    /// Collects the archiver's events (it reports on its own task, one at a time).
    final class Events: @unchecked Sendable {
        // Sendable: `list` is only touched under `lock`.
        private let lock = NSLock()
        private var list: [ArchiverEvent] = []
        func append(_ event: ArchiverEvent) { self.lock.withLock { self.list.append(event) } }
        var all: [ArchiverEvent] { self.lock.withLock { self.list } }
    }

    @Test(.timeLimit(.minutes(10)))
    func theLastEventIsReportedBeforeCaughtUpWithItsServerTime() async throws {
        let server = try #require(
            SandboxServer.fromEnvironment,
            "REWIND_MYSQL_* is not set: run `eval $(scripts/sandbox env)`"
        )
        let directory = try ArchiveTestFiles.temporaryDirectory("progress-report")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A burst of events well within the 250 ms throttle: only the first would be reported without the final one.
        try await server.sql(
            """
            CREATE DATABASE IF NOT EXISTS progress_report; CREATE TABLE IF NOT EXISTS progress_report.t
            (id INT PRIMARY KEY AUTO_INCREMENT, v TEXT); INSERT INTO progress_report.t (v) VALUES ('a'), ('b');
            INSERT INTO progress_report.t (v) VALUES ('c'); INSERT INTO progress_report.t (v) VALUES ('d')
            """
        )
        let before = UInt32(Date().timeIntervalSince1970) - 600
        let events = Events()
        let summary = try await BinlogArchiver(
            configuration: server.configuration(),
            options: ArchiveOptions(directory: directory),
            logger: testLogger
        ).run { events.append($0) }
        let last = try #require(summary.index.files.last)

        let all = events.all
        let caughtUp = try #require(all.lastIndex { if case .caughtUp = $0 { true } else { false } })
        guard case .caughtUp(let file, let position) = all[caughtUp] else { return }
        #expect(file == last.name && position == last.size)
        let progress = all[..<caughtUp].last { if case .progress = $0 { true } else { false } }
        guard case .progress(let progressFile, let progressPosition, let bytes, let eventTime) = progress else {
            Issue.record("no progress before caught-up: \(all)")
            return
        }
        #expect(progressFile == last.name)
        #expect(progressPosition == last.size, "the last event of the burst was not reported")
        #expect(bytes == summary.bytesArchived)
        #expect(eventTime >= before && eventTime <= UInt32(Date().timeIntervalSince1970) + 1)
    }
}
