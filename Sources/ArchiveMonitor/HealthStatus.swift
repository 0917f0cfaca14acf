/// The archiver's liveness verdict: what `/healthz` answers (200 or 503, with ``message`` as the body).
package struct HealthStatus: Equatable, Sendable {
    package var isHealthy: Bool
    /// Seconds since the last event or heartbeat (or since the start, before either).
    package var silence: Double
    /// One line: `alive: …`, `starting: …` or `stalled: …`.
    package var message: String
}
