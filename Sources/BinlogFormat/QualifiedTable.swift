/// A table as `database.table`, as a timeline, a schema, a checksum and a restore name it.
public struct QualifiedTable: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var database: String
    public var table: String

    public init(database: String, table: String) {
        self.database = database
        self.table = table
    }

    /// `DB.TABLE`, split at the first dot; `nil` when there is no dot or either side is empty.
    public init?(qualified: String) {
        guard let dot = qualified.firstIndex(of: "."), dot != qualified.startIndex,
            qualified.index(after: dot) != qualified.endIndex
        else { return nil }
        self.init(database: String(qualified[..<dot]), table: String(qualified[qualified.index(after: dot)...]))
    }

    public var description: String { "\(self.database).\(self.table)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.database, lhs.table) < (rhs.database, rhs.table)
    }
}
