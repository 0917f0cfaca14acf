import MySQLWire
import ObjectStorage

/// Which failures the archiver gets past by reconnecting, how long it waits first, and when it gives up.
///
/// Pure: ``ArchiveRetryLoop`` asks it after each failure and waits on its clock for the delay it returns.
struct ArchiveRetryPolicy: Hashable, Sendable {
    /// Consecutive failed attempts before giving up; `nil`: never give up.
    var maxAttempts: Int?
    /// The longest wait: the wait doubles from ``initialBackoff`` up to this.
    var maxBackoff: Duration
    static let initialBackoff = Duration.milliseconds(250)

    init(maxAttempts: Int?, maxBackoff: Duration) {
        self.maxAttempts = maxAttempts
        self.maxBackoff = maxBackoff
    }

    init(_ options: ArchiveOptions) {
        self.init(maxAttempts: options.maxAttempts, maxBackoff: options.maxBackoff)
    }

    /// How long to wait after failed attempt number `attempt` (counted from 1 since the last progress), or `nil` to
    /// give up: the error is not transient, or the attempts the options allow are used up.
    func delay(after error: any Error, attempt: Int) -> Duration? {
        guard Self.isTransient(error), self.maxAttempts.map({ attempt < $0 }) ?? true else { return nil }
        return self.backoff(attempt: attempt)
    }

    /// 250 ms after the first failure, doubling up to ``maxBackoff``.
    func backoff(attempt: Int) -> Duration {
        let base = Self.initialBackoff * (1 << min(max(attempt, 1) - 1, 16))
        return min(base, self.maxBackoff)
    }

    /// Server errors a retry can get past: the dump failed (a file rotated or purged under it), the server shut down
    /// or the query or connection was killed, the connection was lost.
    static let transientServerErrors: Set<UInt16> = [
        ServerErrorCode.binlogDumpFailed, ServerErrorCode.serverShutdown, ServerErrorCode.queryInterrupted,
        ServerErrorCode.connectionKilled, ServerErrorCode.serverGone, ServerErrorCode.serverLost,
    ]

    /// ERROR 1236 texts that no retry gets past: the GTID position asked for is not (or no longer) in the server's
    /// binlogs, or binary logging is off. MariaDB: "connecting slave requested to start from GTID X, which is not in
    /// the master's binlog", "Could not find GTID state requested by slave in any binlog files"; MySQL: "the master has
    /// purged binary logs containing GTIDs that the slave requires", "Binary log is not open". A purged *file* (a
    /// rotation under a reader) stays transient: a new attempt starts from where the archive ends.
    static let permanentDumpFailureTexts = [
        "which is not in the master's binlog", "which is not in the source's binlog",
        "could not find gtid state requested", "purged binary logs containing gtids",
        "binary log is not open", "gtid_mode = off", "gtid_mode=off",
    ]

    static func isPermanentDumpFailure(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return Self.permanentDumpFailureTexts.contains { lowered.contains($0) }
    }

    /// Whether the server said binary logging is off.
    static func isNoBinaryLogging(_ error: MySQLError) -> Bool {
        error.serverError?.code == ServerErrorCode.noBinaryLogging
    }

    /// Whether reconnecting may get past `error`.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as MySQLError:
            switch error.code {
            case .connectionFailed, .connectionClosed, .timeout, .protocolViolation: return true
            case .server:
                // 1236: the server could not read its binlog for us (e.g. a file purged meanwhile): look again,
                // unless it says the start asked for can never be served (the same request would fail the same way).
                // 1927/1053/1317/2013-like: the server is shutting down or killed our session.
                guard let serverError = error.serverError else { return false }
                if serverError.code == ServerErrorCode.binlogDumpFailed,
                    Self.isPermanentDumpFailure(serverError.message)
                {
                    return false
                }
                return Self.transientServerErrors.contains(serverError.code)
            default: return false
            }
        case let error as ArchiveError:
            return error.isTransient
        case let error as S3Error:
            return error.isRetryable
        default:
            return false
        }
    }
}
