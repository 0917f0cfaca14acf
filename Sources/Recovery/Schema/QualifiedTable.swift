/// A table as `database.table`, as a timeline and a schema name it.
public struct QualifiedTable: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var database: String
    public var table: String

    public init(database: String, table: String) {
        self.database = database
        self.table = table
    }

    public var description: String { "\(self.database).\(self.table)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.database, lhs.table) < (rhs.database, rhs.table)
    }
}
