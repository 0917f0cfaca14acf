/// The result of one statement of a query: columns and rows for a SELECT-like statement, counts otherwise.
public struct MySQLResultSet: Hashable, Sendable {
    /// The columns; empty for statements that return no rows (INSERT, SET, …).
    public var columns: [MySQLColumn]
    public var rows: [MySQLRow]
    /// Rows changed by an INSERT, UPDATE or DELETE.
    public var affectedRows: UInt64
    /// The AUTO_INCREMENT value an INSERT generated.
    public var lastInsertID: UInt64
    public var warnings: UInt16

    public init(columns: [MySQLColumn], rows: [MySQLRow], affectedRows: UInt64, lastInsertID: UInt64, warnings: UInt16)
    {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.warnings = warnings
    }
}
