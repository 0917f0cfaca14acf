@testable import BinlogArchive

/// A clock that only moves when a test says so: ``sleep(for:)`` records the wait and advances the clock by it at
/// once, so a retry loop runs without sleeping and the test reads the waits it asked for.
final class ManualArchiveClock: ArchiveClock {
    private(set) var current = ContinuousClock.now
    /// Every wait asked for, in order.
    private(set) var sleeps: [Duration] = []

    func now() -> ContinuousClock.Instant { self.current }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        self.sleeps.append(duration)
        self.current = self.current.advanced(by: duration)
    }

    /// Moves the clock on by `duration`.
    func advance(by duration: Duration) {
        self.current = self.current.advanced(by: duration)
    }
}
