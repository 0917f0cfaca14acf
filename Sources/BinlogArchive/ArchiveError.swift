/// Why archiving stopped, with the archive directory or file and offset where one applies.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// The archive directory or file concerned.
    public var path: String?
    /// The byte offset in ``path`` concerned.
    public var offset: UInt64?
    /// Whether retrying (after a reconnect) may help.
    public var isTransient: Bool

    public init(_ reason: String, path: String? = nil, offset: UInt64? = nil, isTransient: Bool = false) {
        self.reason = reason
        self.path = path
        self.offset = offset
        self.isTransient = isTransient
    }

    public var description: String {
        var text = ""
        if let path { text += path + (self.offset.map { " at byte \($0)" } ?? "") + ": " }
        return text + self.reason
    }
}
