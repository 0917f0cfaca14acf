/// A binlog file and byte position.
public struct BinlogCoordinates: Codable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var position: UInt64

    public init(file: String, position: UInt64) {
        self.file = file
        self.position = position
    }

    public var description: String { "\(self.file):\(self.position)" }
}
