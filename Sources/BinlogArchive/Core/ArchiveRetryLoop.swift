import MySQLWire

/// Runs the archiver's connections one after another: after a failure it waits (on its ``ArchiveClock``, as
/// ``ArchiveRetryPolicy`` says) and connects again, until a connection ends the stream (without `--follow`), the
/// task is cancelled, or the policy gives up.
///
/// It knows nothing of servers or stores: a connection is a closure, so tests run it with a fake that fails.
struct ArchiveRetryLoop {
    var policy: ArchiveRetryPolicy
    /// Whether streaming goes on after the server's binlog ends (`--follow`): an ended stream is then a failure.
    var follow: Bool
    let clock: any ArchiveClock

    /// Connects until done.
    ///
    /// - Parameters:
    ///   - connectOnce: one connection; it calls its argument when events flow (the attempts count from 1 again),
    ///     and returns `true` when the server's binlog ended (a non-blocking dump finished).
    ///   - afterFailure: called after each failed connection, before the policy is asked (make what was received
    ///     durable).
    ///   - report: receives ``ArchiverEvent/retrying(error:attempt:retryIn:)`` before each wait.
    /// - Throws: the last connection's error when it is not transient or the attempts are used up;
    ///   `CancellationError` (or what the connection threw) when the task is cancelled.
    func run(
        _ connectOnce: (_ madeProgress: () -> Void) async throws -> Bool,
        afterFailure: () throws -> Void,
        report: (ArchiverEvent) -> Void
    ) async throws {
        var attempt = 0
        while true {
            do {
                let ended = try await connectOnce { attempt = 0 }
                if ended && !self.follow { return }
                // A follow stream only ends when the server hangs up (e.g. it shuts down): reconnect.
                throw MySQLError(code: .connectionClosed, reason: "the server ended the binlog stream")
            } catch let error where !(error is CancellationError) && !Task.isCancelled {
                try afterFailure()
                attempt += 1
                guard let delay = self.policy.delay(after: error, attempt: attempt) else { throw error }
                report(.retrying(error: "\(error)", attempt: attempt, retryIn: delay))
                try await self.clock.sleep(for: delay)
            }
        }
    }
}
