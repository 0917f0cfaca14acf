import MySQLWire
import Testing

@testable import BinlogArchive

/// The reconnect loop with a fake connection that fails a given number of times, on a clock that never sleeps:
/// the waits it asks for, when it gives up, and what it throws then.
@Suite struct ArchiveRetryLoopTests {
    /// A connection that fails its first `failures` attempts with `error`, then streams to the end of the binlog
    /// (or, with `progressBeforeFailing`, lets events flow before each failure).
    final class FakeConnection {
        let failures: Int
        let error: any Error
        let progressBeforeFailing: Bool
        private(set) var attempts = 0

        init(failures: Int, error: any Error = FakeConnection.refused, progressBeforeFailing: Bool = false) {
            self.failures = failures
            self.error = error
            self.progressBeforeFailing = progressBeforeFailing
        }

        static let refused = MySQLError(
            code: .connectionFailed,
            reason: "Connection refused",
            server: "127.0.0.1:1",
            context: "connect"
        )

        func connect(_ madeProgress: () -> Void) async throws -> Bool {
            self.attempts += 1
            guard self.attempts <= self.failures else { return true }
            if self.progressBeforeFailing { madeProgress() }
            throw self.error
        }
    }

    /// Runs the loop; returns the reports and the count of `afterFailure` calls, or what it threw.
    static func run(
        _ connection: FakeConnection,
        clock: ManualArchiveClock,
        maxAttempts: Int?,
        maxBackoff: Duration = .seconds(30),
        follow: Bool = false
    ) async -> (retries: [(attempt: Int, delay: Duration)], afterFailures: Int, error: (any Error)?) {
        let loop = ArchiveRetryLoop(
            policy: ArchiveRetryPolicy(maxAttempts: maxAttempts, maxBackoff: maxBackoff),
            follow: follow,
            clock: clock
        )
        var retries: [(Int, Duration)] = []
        var afterFailures = 0
        do {
            try await loop.run {
                try await connection.connect($0)
            } afterFailure: {
                afterFailures += 1
            } report: { event in
                if case .retrying(_, let attempt, let delay) = event { retries.append((attempt, delay)) }
            }
        } catch {
            return (retries, afterFailures, error)
        }
        return (retries, afterFailures, nil)
    }

    @Test func theWaitDoublesFrom250MillisecondsUntilTheConnectionWorks() async throws {
        let clock = ManualArchiveClock()
        let start = clock.now()
        let connection = FakeConnection(failures: 4)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: nil)
        #expect(outcome.error == nil)
        #expect(connection.attempts == 5)
        let expected: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)]
        #expect(clock.sleeps == expected)
        #expect(outcome.retries.map(\.attempt) == [1, 2, 3, 4])
        #expect(outcome.retries.map(\.delay) == expected)
        #expect(outcome.afterFailures == 4, "what was received is made durable after every failure")
        #expect(clock.now() - start == .milliseconds(3750))
    }

    @Test func theWaitStopsGrowingAtTheMaximumBackoff() async throws {
        let clock = ManualArchiveClock()
        let outcome = await Self.run(
            FakeConnection(failures: 7),
            clock: clock,
            maxAttempts: nil,
            maxBackoff: .milliseconds(1500)
        )
        #expect(outcome.error == nil)
        #expect(
            clock.sleeps == [
                .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(1500), .milliseconds(1500),
                .milliseconds(1500), .milliseconds(1500),
            ]
        )
    }

    @Test(arguments: [1, 2, 5])
    func itGivesUpAfterTheAttemptsTheOptionsAllowWithTheConnectionsError(maxAttempts: Int) async throws {
        let clock = ManualArchiveClock()
        let connection = FakeConnection(failures: .max)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: maxAttempts)
        let error = try #require(outcome.error as? MySQLError, "\(String(describing: outcome.error))")
        #expect(error.code == .connectionFailed)
        #expect("\(error)".contains("127.0.0.1:1"), "the error names the server: \(error)")
        #expect(connection.attempts == maxAttempts)
        #expect(clock.sleeps.count == maxAttempts - 1, "no wait after the last attempt")
        #expect(outcome.afterFailures == maxAttempts)
    }

    @Test func theDefaultOptionsGiveUpAfterFiveAttemptsWithoutFollowAndNeverWithFollow() async throws {
        #expect(ArchiveRetryPolicy(ArchiveOptions(directory: "/a")).maxAttempts == 5)
        let following = ArchiveRetryPolicy(ArchiveOptions(directory: "/a", follow: true))
        #expect(following.maxAttempts == nil && following.maxBackoff == .seconds(30))
        let clock = ManualArchiveClock()
        let connection = FakeConnection(failures: 40)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: following.maxAttempts, follow: false)
        #expect(outcome.error == nil && connection.attempts == 41)
        #expect(clock.sleeps.suffix(30).allSatisfy { $0 == .seconds(30) })
    }

    @Test func eventsFlowingCountTheAttemptsFromOneAgain() async throws {
        let clock = ManualArchiveClock()
        let connection = FakeConnection(failures: 6, progressBeforeFailing: true)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: 3)
        #expect(outcome.error == nil, "each failure came after progress, so three attempts were never used up")
        #expect(clock.sleeps == Array(repeating: .milliseconds(250), count: 6))
        #expect(outcome.retries.map(\.attempt) == Array(repeating: 1, count: 6))
    }

    @Test func anErrorARetryCannotFixIsThrownAtOnce() async throws {
        let clock = ManualArchiveClock()
        let refusal = ArchiveError("the archive ends with mysql-bin.000009 but …", path: "/archive")
        let connection = FakeConnection(failures: 1, error: refusal)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: nil)
        let error = try #require(outcome.error as? ArchiveError)
        #expect(error.reason == refusal.reason)
        #expect(clock.sleeps.isEmpty && outcome.retries.isEmpty && connection.attempts == 1)
    }

    @Test func aFollowStreamThatEndsIsReconnected() async throws {
        let clock = ManualArchiveClock()
        let connection = FakeConnection(failures: 0)
        let outcome = await Self.run(connection, clock: clock, maxAttempts: 3, follow: true)
        // The stream "ends" every time: with --follow that is a hang-up, retried until the attempts are used up.
        let error = try #require(outcome.error as? MySQLError)
        #expect(error.code == .connectionClosed)
        #expect(connection.attempts == 3)
        #expect(clock.sleeps == [.milliseconds(250), .milliseconds(500)])
    }

    @Test func transientErrorsAreTheOnesAReconnectGetsPast() {
        #expect(ArchiveRetryPolicy.isTransient(MySQLError(code: .connectionClosed, reason: "")))
        #expect(ArchiveRetryPolicy.isTransient(MySQLError(code: .timeout, reason: "")))
        #expect(ArchiveRetryPolicy.isTransient(ArchiveError("", isTransient: true)))
        #expect(!ArchiveRetryPolicy.isTransient(ArchiveError("")))
        #expect(!ArchiveRetryPolicy.isTransient(CancellationError()))
        func dumpFailure(_ message: String) -> MySQLError {
            MySQLError(
                code: .server, reason: "", serverError: .init(code: 1236, sqlState: "HY000", message: message))
        }
        // A file purged under the reader: a new attempt starts where the archive ends.
        #expect(
            ArchiveRetryPolicy.isTransient(
                dumpFailure("Could not find first log file name in binary log index file")))
        // A start the server can never serve: the same request fails the same way, so no retry (it took 4 s).
        #expect(
            !ArchiveRetryPolicy.isTransient(
                dumpFailure(
                    "Error: connecting slave requested to start from GTID 0-1-99999, which is not in the master's binlog"
                )
            ))
        #expect(
            !ArchiveRetryPolicy.isTransient(
                dumpFailure(
                    "Cannot replicate because the master purged required binary logs. Replicate the missing "
                        + "transactions from elsewhere, or provision a new slave from backup. Consider increasing the "
                        + "master's binary log expiration period. The GTID set sent by the slave is '…', and the "
                        + "missing transactions are '…'. The master has purged binary logs containing GTIDs that the "
                        + "slave requires.")))
        #expect(!ArchiveRetryPolicy.isTransient(dumpFailure("Binary log is not open")))
    }
}
