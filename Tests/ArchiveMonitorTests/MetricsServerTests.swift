import BinlogArchive
import Foundation
import Logging
import Testing

@testable import ArchiveMonitor

/// The HTTP endpoint on a real loopback socket, asked by the same probe `rewind binlog archive-health` uses.
@Suite struct MetricsServerTests {
    @Test func healthzAnswers200WhileAliveAnd503OnceStalled() async throws {
        // A stall timeout of 20 s from a start a minute ago: stalled until an event arrives, then alive for 20 s
        // (a loaded machine answers a loopback request in seconds, not milliseconds).
        let health = ArchiverHealth(stallTimeout: .seconds(20), now: Date().addingTimeInterval(-60))
        try await MetricsServer.serving(health, host: "127.0.0.1", port: 0, logger: Logger(label: "test")) { port in
            let stalled = try await HealthProbe.get(host: "127.0.0.1", port: port, timeout: .seconds(30))
            #expect(stalled.status == 503)
            #expect(stalled.body.hasPrefix("stalled: nothing received since the start"))
            health.record(.caughtUp(file: "mysql-bin.000001", position: 4), at: Date())
            let alive = try await HealthProbe.get(host: "127.0.0.1", port: port, timeout: .seconds(30))
            #expect(alive.status == 200)
            #expect(alive.body.hasPrefix("alive: last heartbeat"))
            let metrics = try await HealthProbe.get(
                host: "127.0.0.1",
                port: port,
                path: "/metrics",
                timeout: .seconds(30)
            )
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("# TYPE rewind_archiver_lag_seconds gauge"))
            #expect(metrics.body.contains("rewind_archiver_healthy 1"))
            let missing = try await HealthProbe.get(host: "127.0.0.1", port: port, path: "/nope", timeout: .seconds(30))
            #expect(missing.status == 404)
            #expect(stalled.verdict == stalled.body.trimmingCharacters(in: .newlines))
            #expect(alive.verdict?.hasPrefix("alive: last heartbeat") == true)
            // Anything else is not a verdict: not the metrics page, not a 404, not another server's page.
            #expect(metrics.verdict == nil)
            #expect(missing.verdict == nil)
            #expect(HealthProbe.Answer(status: 200, body: "<html><body>It works!</body></html>\n").verdict == nil)
            #expect(HealthProbe.Answer(status: 200, body: "alive: x\n<html>\n").verdict == nil)
            #expect(HealthProbe.Answer(status: 302, body: "alive: moved").verdict == nil)
        }
    }

    @Test func aPortInUseIsNamed() async throws {
        let health = ArchiverHealth(stallTimeout: .seconds(1), now: Date())
        try await MetricsServer.serving(health, host: "127.0.0.1", port: 0, logger: Logger(label: "test")) { port in
            let error = await #expect(throws: MetricsServerError.self) {
                try await MetricsServer.serving(health, host: "127.0.0.1", port: port, logger: Logger(label: "test")) {
                    _ in
                }
            }
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        }
    }

    @Test func noListenerIsAnErrorNamingTheAddress() async throws {
        // Bind and close to find a port nobody listens on.
        let health = ArchiverHealth(stallTimeout: .seconds(1), now: Date())
        let port = try await MetricsServer.serving(health, host: "127.0.0.1", port: 0, logger: Logger(label: "test")) {
            $0
        }
        let error = await #expect(throws: HealthProbeError.self) {
            try await HealthProbe.get(host: "127.0.0.1", port: port, timeout: .seconds(2))
        }
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }
}
