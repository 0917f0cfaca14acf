/// Why a restore did not happen or did not finish. Every message names the backup, file, transaction or server
/// concerned and says what to do.
public struct RestoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Refused before the target was touched: the plan cannot be carried out as asked (a gap in the chain, an
        /// incomplete backup, a non-empty target, the source as target, a stop outside the window, dependents).
        case refused
        /// Failed while applying (a server error, a damaged file met during the apply).
        case failed
        /// The proof after the apply did not hold: the target does not hold what the plan says was applied.
        case proofFailed
        /// Stopped by SIGINT/SIGTERM after a committed transaction; the same command continues.
        case interrupted
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }

    /// The exit status of `rewind restore` for this error (documented in docs/restore.md).
    public var exitStatus: Int32 {
        switch self.code {
        case .refused: 2
        case .failed, .proofFailed: 1
        case .interrupted: 130
        }
    }
}
