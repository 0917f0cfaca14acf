import BinlogArchive
import Prometheus

/// The archiver's Prometheus metrics (names `rewind_archiver_*`), registered once per process.
///
/// Times are Unix seconds, so `time() - rewind_archiver_last_event_received_timestamp_seconds` is the age of the
/// last event; counters count from the start of the process.
package struct ArchiverMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    let lastEventReceived: Gauge
    let lastEventTime: Gauge
    let lastHeartbeat: Gauge
    let lag: Gauge
    let silence: Gauge
    let healthy: Gauge
    let connected: Gauge
    let position: Gauge
    let fileNumber: Gauge
    let bytes: Counter
    let filesCompleted: Counter
    let gaps: Counter
    let reconnects: Counter

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let prefix = "rewind_archiver_"
        func gauge(_ name: String, _ help: String) -> Gauge { registry.makeGauge(name: prefix + name, help: help) }
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(name: prefix + name, help: help)
        }
        self.lastEventReceived = gauge(
            "last_event_received_timestamp_seconds",
            "When the last binlog event was received (Unix time)."
        )
        self.lastEventTime = gauge(
            "last_event_timestamp_seconds",
            "The server's timestamp in the last archived event's header (Unix time)."
        )
        self.lastHeartbeat = gauge(
            "last_heartbeat_timestamp_seconds",
            "When the server last said it had nothing newer (heartbeat or end of binlog; Unix time)."
        )
        self.lag = gauge(
            "lag_seconds",
            "Seconds the archive is behind the server's newest event: receive time minus the last event's "
                + "timestamp, 0 after a heartbeat."
        )
        self.silence = gauge(
            "seconds_since_last_event_or_heartbeat",
            "Seconds without an event or heartbeat (set at each scrape)."
        )
        self.healthy = gauge("healthy", "1 while events or heartbeats arrive within the stall timeout, else 0.")
        self.connected = gauge("connected", "1 while the archiver is connected to the server.")
        self.position = gauge("position_bytes", "Archived size of the binlog file being written.")
        self.fileNumber = gauge("file_number", "Sequence number of the binlog file being written (000042 is 42).")
        self.bytes = counter("archived_bytes_total", "Bytes of binlog events archived.")
        self.filesCompleted = counter("files_completed_total", "Binlog files completed in the archive.")
        self.gaps = counter("gaps_total", "Gaps found: files the server purged before they were archived.")
        self.reconnects = counter("reconnects_total", "Connections lost or refused and tried again.")
        self.healthy.set(1.0)
    }

    func update(file: String, position: UInt64) {
        self.position.set(Double(position))
        if let name = BinlogFileName(file) { self.fileNumber.set(Double(name.number)) }
    }
}
