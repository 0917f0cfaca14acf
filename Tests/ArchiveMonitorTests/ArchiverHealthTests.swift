import BinlogArchive
import Foundation
import Testing

@testable import ArchiveMonitor

/// The liveness verdict and the metrics follow the archiver's events, on an injected clock.
@Suite struct ArchiverHealthTests {
    let start = Date(timeIntervalSince1970: 1_796_036_400)

    func at(_ seconds: Double) -> Date { self.start.addingTimeInterval(seconds) }

    func health() -> ArchiverHealth { ArchiverHealth(stallTimeout: .seconds(10), now: self.start) }

    /// The value of one sample line of the Prometheus text (`name value`).
    func sample(_ health: ArchiverHealth, _ name: String) -> Double? {
        let text = String(decoding: health.metrics.registry.emitToBuffer(), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test func startingIsHealthyUntilTheStallTimeoutThenStalled() {
        let health = self.health()
        let early = health.status(now: self.at(9))
        #expect(early.isHealthy)
        #expect(early.message.hasPrefix("starting: nothing received yet"))
        let late = health.status(now: self.at(11))
        #expect(!late.isHealthy)
        #expect(late.message.hasPrefix("stalled: nothing received since the start for 11 s"))
        #expect(self.sample(health, "rewind_archiver_healthy") == 0)
    }

    @Test func heartbeatsKeepAnIdleServerAlive() {
        let health = self.health()
        health.record(
            .connected(server: "db:3306", version: "8.4.7", file: "mysql-bin.000002", position: 4),
            at: self.at(1)
        )
        for second in stride(from: 2.0, through: 60, by: 5) {
            health.record(.caughtUp(file: "mysql-bin.000002", position: 157), at: self.at(second))
            #expect(health.status(now: self.at(second + 4.9)).isHealthy)
        }
        let status = health.status(now: self.at(61))
        #expect(status.isHealthy)
        #expect(status.message == "alive: last heartbeat 4 s ago (archive at mysql-bin.000002:157)")
        #expect(self.sample(health, "rewind_archiver_lag_seconds") == 0)
        #expect(self.sample(health, "rewind_archiver_file_number") == 2)
        #expect(self.sample(health, "rewind_archiver_position_bytes") == 157)
    }

    @Test func silenceAfterEventsIsAStall() {
        let health = self.health()
        health.record(
            .connected(server: "db:3306", version: "8.4.7", file: "mysql-bin.000002", position: 4),
            at: self.at(1)
        )
        health.record(
            .progress(file: "mysql-bin.000002", position: 5_000, bytesThisRun: 4_996, eventTime: 1_796_036_400),
            at: self.at(3)
        )
        #expect(health.status(now: self.at(13)).isHealthy)
        health.record(.retrying(error: "timed out", attempt: 1, retryIn: .milliseconds(250)), at: self.at(5))
        let status = health.status(now: self.at(13.5))
        #expect(!status.isHealthy)
        #expect(
            status.message
                == "stalled: no event and no heartbeat for 10 s, more than the limit of 10 s, not connected (archive at mysql-bin.000002:5000)"
        )
        #expect(self.sample(health, "rewind_archiver_reconnects_total") == 1)
        #expect(self.sample(health, "rewind_archiver_connected") == 0)
        #expect(self.sample(health, "rewind_archiver_healthy") == 0)
        #expect(self.sample(health, "rewind_archiver_seconds_since_last_event_or_heartbeat") == 10.5)
    }

    @Test func metricsMoveWithEvents() {
        let health = self.health()
        health.record(
            .connected(server: "db:3306", version: "8.4.7", file: "mysql-bin.000007", position: 4),
            at: self.at(1)
        )
        health.record(
            .progress(file: "mysql-bin.000007", position: 1_004, bytesThisRun: 1_000, eventTime: 1_796_036_398),
            at: self.at(2)
        )
        #expect(self.sample(health, "rewind_archiver_archived_bytes_total") == 1_000)
        #expect(self.sample(health, "rewind_archiver_lag_seconds") == 4)
        #expect(self.sample(health, "rewind_archiver_last_event_timestamp_seconds") == 1_796_036_398)
        #expect(self.sample(health, "rewind_archiver_last_event_received_timestamp_seconds") == 1_796_036_402)
        health.record(
            .progress(file: "mysql-bin.000007", position: 3_004, bytesThisRun: 3_000, eventTime: 1_796_036_403),
            at: self.at(3)
        )
        #expect(self.sample(health, "rewind_archiver_archived_bytes_total") == 3_000)
        #expect(self.sample(health, "rewind_archiver_lag_seconds") == 0)
        let gap = ArchiveGap(
            afterFile: "mysql-bin.000007",
            afterPosition: 3_004,
            missingFiles: ["mysql-bin.000008"],
            resumedAt: "mysql-bin.000009",
            reason: "purged"
        )
        health.record(.gap(gap), at: self.at(4))
        #expect(self.sample(health, "rewind_archiver_gaps_total") == 1)
        #expect(self.sample(health, "rewind_archiver_position_bytes") == 3_004)
    }
}
