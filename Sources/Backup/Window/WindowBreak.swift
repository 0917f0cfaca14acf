/// Why the binlog chain after a backup stops: what is wrong, where, and what to do.
public struct WindowBreak: Codable, Hashable, Sendable {
    /// `missing-file`, `incomplete-file`, `archive-gap`, `gtid-discontinuity`, `other-server`, `not-archived`.
    public var kind: String
    /// The file the chain reaches last before the break (`nil` when it reaches none).
    public var afterFile: String?
    /// The files concerned (missing ones, the incomplete one).
    public var files: [String]
    public var message: String
    public var advice: String
}
