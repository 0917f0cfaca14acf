/// The process's monotonic clock (`ContinuousClock`): what the archiver uses outside tests.
package final class SystemArchiveClock: ArchiveClock {
    package init() {}

    package func now() -> ContinuousClock.Instant { ContinuousClock.now }

    package func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
