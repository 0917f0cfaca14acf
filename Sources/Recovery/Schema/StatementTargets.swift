/// What a statement from a Query event acts on, for commands that filter or rename by database and table
/// (`rewind restore --database/--table/--into-database`).
public struct StatementTargets: Hashable, Sendable {
    /// The tables the statement names (both sides of a rename; the source of `CREATE TABLE … LIKE`).
    public var tables: [QualifiedTable]
    /// The database a `DROP DATABASE` names.
    public var droppedDatabase: String?
    /// Whether the statement was understood; `false` means it may act on anything (e.g. `CREATE VIEW`, `GRANT`).
    public var isUnderstood: Bool

    /// Reads `text`, run with `defaultDatabase` as the current database.
    public init(_ text: [UInt8], defaultDatabase: String) {
        self.droppedDatabase = nil
        self.isUnderstood = true
        switch StatementClassifier.classify(text, defaultDatabase: defaultDatabase) {
        case .createTable(let table, _, _), .alterTable(let table, _), .truncate(let table):
            self.tables = [table]
            if case .alterTable(_, let actions) = StatementClassifier.classify(text, defaultDatabase: defaultDatabase) {
                for case .renameTable(let to) in actions { self.tables.append(to) }
            }
        case .createTableLike(let table, let source):
            self.tables = [table, source]
        case .renameTables(let renames):
            self.tables = renames.flatMap { [$0.from, $0.to] }
        case .dropTables(let tables, _):
            self.tables = tables
        case .dropDatabase(let name):
            self.tables = []
            self.droppedDatabase = name
        case .delete, .update, .other:
            self.tables = []
            self.isUnderstood = false
        }
    }
}
