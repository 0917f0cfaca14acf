/// One key/value pair of a JSON object, in stored order (MySQL sorts keys by length, then bytes).
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSONValue
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
