/// The one error type of `Recovery`.
public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var path: String?
    public init(reason: String, path: String? = nil) {
        self.reason = reason
        self.path = path
    }
    public var description: String { (path.map { "\($0): " } ?? "") + reason }
}
