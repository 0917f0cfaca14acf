import BinlogArchive
import Foundation
import Prometheus

/// The health of a running `rewind binlog archive --follow`, fed with its ``ArchiverEvent``s: Prometheus metrics
/// (``ArchiverMetrics``) and a liveness verdict (``status(now:)``) that turns unhealthy when neither an event nor a
/// heartbeat arrived for ``stallTimeout``.
///
/// The archiver asks the server for a heartbeat every few seconds while it has nothing to send, so an idle server
/// is not a stall; a stopped or wedged server, a hung connection or a stuck archiver is.
package final class ArchiverHealth: Sendable {
    /// What the health check has seen, under one lock.
    struct State: Sendable {
        var startedAt: Date
        var lastEventReceivedAt: Date?
        var lastHeartbeatAt: Date?
        var file: String?
        var position: UInt64 = 0
        var bytesReported: UInt64 = 0
        var isConnected = false
    }

    package let metrics: ArchiverMetrics
    /// Silence (no event, no heartbeat) longer than this is a stall.
    package let stallTimeout: Duration
    private let state: NSLockedState

    /// - Parameters:
    ///   - stallTimeout: the longest silence that is still healthy; more than the archiver's heartbeat period.
    ///   - registry: where the metrics are registered (one per process).
    ///   - now: the start time; the archiver has `stallTimeout` from it to log in and receive something.
    package init(
        stallTimeout: Duration,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        now: Date
    ) {
        self.stallTimeout = stallTimeout
        self.metrics = ArchiverMetrics(registry: registry)
        self.state = NSLockedState(State(startedAt: now))
    }

    /// Takes one event from ``BinlogArchiver/run(report:)``, received at `now`.
    package func record(_ event: ArchiverEvent, at now: Date) {
        let metrics = self.metrics
        self.state.withLock { state in
            switch event {
            case .connected(_, _, let file, let position):
                state.isConnected = true
                state.file = file
                state.position = position
                metrics.connected.set(1.0)
                metrics.update(file: file, position: position)
            case .progress(let file, let position, let bytesThisRun, let eventTime):
                state.lastEventReceivedAt = now
                state.file = file
                state.position = position
                if bytesThisRun > state.bytesReported {
                    metrics.bytes.increment(by: Int64(clamping: bytesThisRun - state.bytesReported))
                }
                state.bytesReported = max(state.bytesReported, bytesThisRun)
                metrics.lastEventReceived.set(now.timeIntervalSince1970)
                metrics.lastEventTime.set(Double(eventTime))
                metrics.lag.set(max(0, now.timeIntervalSince1970 - Double(eventTime)))
                metrics.update(file: file, position: position)
            case .caughtUp(let file, let position):
                state.lastHeartbeatAt = now
                state.file = file
                state.position = position
                metrics.lastHeartbeat.set(now.timeIntervalSince1970)
                metrics.lag.set(0.0)
                metrics.update(file: file, position: position)
            case .fileCompleted:
                metrics.filesCompleted.increment()
            case .gap:
                metrics.gaps.increment()
            case .retrying:
                state.isConnected = false
                metrics.connected.set(0.0)
                metrics.reconnects.increment()
            case .truncated, .fileStarted, .notice:
                break
            }
        }
    }

    /// The liveness verdict at `now`; also sets the silence and health gauges, so a scrape shows them.
    package func status(now: Date) -> HealthStatus {
        let state = self.state.withLock { $0 }
        let signs = [state.lastEventReceivedAt, state.lastHeartbeatAt].compactMap { $0 }
        let last = signs.max() ?? state.startedAt
        let silence = max(0, now.timeIntervalSince(last))
        let limit =
            Double(self.stallTimeout.components.seconds)
            + Double(self.stallTimeout.components.attoseconds) / 1e18
        let location = state.file.map { " (archive at \($0):\(state.position))" } ?? ""
        let status: HealthStatus
        if silence > limit {
            let what = signs.isEmpty ? "nothing received since the start" : "no event and no heartbeat"
            let connection = state.isConnected ? "" : ", not connected"
            status = HealthStatus(
                isHealthy: false,
                silence: silence,
                message: "stalled: \(what) for \(Int(silence)) s, more than the limit of \(Int(limit)) s"
                    + connection + location
            )
        } else if signs.isEmpty {
            status = HealthStatus(
                isHealthy: true,
                silence: silence,
                message: "starting: nothing received yet (\(Int(silence)) s of \(Int(limit)) s)"
            )
        } else {
            let kind = state.lastHeartbeatAt == last ? "heartbeat" : "event"
            status = HealthStatus(
                isHealthy: true,
                silence: silence,
                message: "alive: last \(kind) \(Int(silence)) s ago" + location
            )
        }
        self.metrics.silence.set(silence)
        self.metrics.healthy.set(status.isHealthy ? 1.0 : 0.0)
        return status
    }
}
