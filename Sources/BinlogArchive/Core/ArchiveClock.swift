/// The archiver's sense of time: when the open file is made durable (the upload interval of an S3 archive),
/// how often progress is reported, and how long it waits before it reconnects.
///
/// ``SystemArchiveClock`` is the real one; tests pass a clock they advance by hand, so timing is tested without
/// sleeping. Like the archiver, a clock is used from one task at a time.
package protocol ArchiveClock: AnyObject {
    /// The current instant.
    func now() -> ContinuousClock.Instant
    /// Waits `duration` (the retry backoff).
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits.
    func sleep(for duration: Duration) async throws
}
