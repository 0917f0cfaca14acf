/// What the server's `information_schema` says about a table and the binlog does not: which columns are
/// generated (their values follow from the others and cannot be written) and a unique key of NOT NULL
/// columns to find a row by when the table has no primary key.
public struct TableSchemaHint: Sendable, Equatable {
    /// Column names in table order.
    public var columns: [String]
    /// Names of VIRTUAL and STORED generated columns.
    public var generatedColumns: Set<String>
    /// The primary key's columns, empty when there is none.
    public var primaryKey: [String]
    /// The first unique key whose columns are all NOT NULL, when there is no primary key.
    public var uniqueKey: [String]
    /// Every unique key but the primary key (nullable columns too), by name: a row put back by an undo must not
    /// take a unique value another row holds now.
    public var uniqueKeys: [[String]]
    /// Its triggers, and the foreign keys of other tables that cascade from it on delete or update (``ServerSideEffect``).
    public var sideEffects: [ServerSideEffect] = []

    public init(
        columns: [String], generatedColumns: Set<String> = [], primaryKey: [String] = [], uniqueKey: [String] = [],
        uniqueKeys: [[String]] = []
    ) {
        self.columns = columns
        self.generatedColumns = generatedColumns
        self.primaryKey = primaryKey
        self.uniqueKey = uniqueKey
        self.uniqueKeys = uniqueKeys
    }
}

/// The server's tables as ``TableSchemaHint``s, keyed by lower-cased `db.table`; `nil` when no server was given.
public struct ServerSchema: Sendable, Equatable {
    public var tables: [String: TableSchemaHint]

    public init(tables: [String: TableSchemaHint]) {
        self.tables = tables
    }

    public func hint(database: String, table: String) -> TableSchemaHint? {
        self.tables["\(database.lowercased()).\(table.lowercased())"]
    }
}
