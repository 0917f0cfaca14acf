/// How long and how often `backup create` tries MySQL's `FLUSH TABLES WITH READ LOCK`.
///
/// While the lock request waits (for a long-running statement to release its tables), every write on the server
/// queues behind it; so each attempt waits at most `waitSeconds` (`lock_wait_timeout`), and the next one comes
/// after a pause that doubles (`backoff`, `2 × backoff`, …) and lets the queued writes through.
public struct ReadLockPolicy: Sendable, Hashable {
    /// `lock_wait_timeout` for each attempt, in seconds (at least 1).
    public var waitSeconds: Int
    /// Attempts before the backup is refused.
    public var attempts: Int
    /// The pause after the first timed-out attempt; it doubles after each.
    public var backoff: Duration

    public init(waitSeconds: Int = 2, attempts: Int = 5, backoff: Duration = .seconds(1)) {
        self.waitSeconds = waitSeconds
        self.attempts = attempts
        self.backoff = backoff
    }
}
