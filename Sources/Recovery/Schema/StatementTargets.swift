/// What a statement from a Query event acts on, for commands that filter or rename by database and table
/// (`rewind restore --database/--table/--into-database`).
public struct StatementTargets: Hashable, Sendable {
    /// The tables the statement names (both sides of a rename; the source of `CREATE TABLE … LIKE`).
    public var tables: [QualifiedTable]
    /// The database a `DROP DATABASE` names.
    public var droppedDatabase: String?
    /// The database a `CREATE DATABASE|SCHEMA` names.
    public var createdDatabase: String?
    /// Whether the statement was understood; `false` means it may act on anything (e.g. `CREATE VIEW`, `GRANT`).
    public var isUnderstood: Bool
    /// For a statement that is not understood but creates, alters or drops a view, trigger, routine or event: the
    /// database of that object (named, or the current one).
    public var objectDatabase: String?

    /// Reads `text`, run with `defaultDatabase` as the current database.
    public init(_ text: [UInt8], defaultDatabase: String) {
        self.droppedDatabase = nil
        self.createdDatabase = nil
        self.objectDatabase = nil
        self.isUnderstood = true
        let head = SQLLexer.tokens(text, limit: 7)
        if head.count >= 3, head[0].isKeyword("CREATE"), head[1].isKeyword("DATABASE") || head[1].isKeyword("SCHEMA") {
            var index = 2
            if head.count >= 6, head[2].isKeyword("IF"), head[3].isKeyword("NOT"), head[4].isKeyword("EXISTS") {
                index = 5
            }
            self.tables = []
            self.createdDatabase = index < head.count ? head[index].identifier : nil
            self.isUnderstood = self.createdDatabase != nil
            return
        }
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
            // Statement-format DML on one table (INSERT, REPLACE, UPDATE, DELETE): the table it writes.
            if let table = Self.writtenTable(text, defaultDatabase: defaultDatabase) {
                self.tables = [table]
            } else {
                self.tables = []
                self.isUnderstood = false
                self.objectDatabase = Self.objectDatabase(text, defaultDatabase: defaultDatabase)
            }
        }
    }

    /// The database of the view, trigger, procedure, function or event a `CREATE`, `ALTER` or `DROP` names (as
    /// the server logs them: `CREATE ALGORITHM=… DEFINER=… VIEW `db`.`v` AS …`); `nil` for anything else, or an
    /// unqualified name without a current database.
    static func objectDatabase(_ text: [UInt8], defaultDatabase: String) -> String? {
        let tokens = SQLLexer.tokens(text, limit: 40)
        guard let first = tokens.first, first.isKeyword("CREATE") || first.isKeyword("ALTER") || first.isKeyword("DROP")
        else { return nil }
        let kinds = ["VIEW", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"]
        guard
            var index = tokens.indices.dropFirst().first(where: { index in
                kinds.contains { tokens[index].isKeyword($0) }
            })
        else { return nil }
        index += 1
        for word in ["IF", "NOT", "EXISTS"] where index < tokens.count && tokens[index].isKeyword(word) { index += 1 }
        guard index < tokens.count, let name = tokens[index].identifier else { return nil }
        if index + 2 < tokens.count, tokens[index + 1].isSymbol("."), tokens[index + 2].identifier != nil {
            return name
        }
        return defaultDatabase.isEmpty ? nil : defaultDatabase
    }

    /// The table a single-table `INSERT`, `REPLACE`, `UPDATE` or `DELETE` writes; `nil` for anything else (a
    /// multi-table `UPDATE` or `DELETE`, a statement that starts otherwise).
    static func writtenTable(_ text: [UInt8], defaultDatabase: String) -> QualifiedTable? {
        let tokens = SQLLexer.tokens(text, limit: 12)
        guard let first = tokens.first, first.kind == .word else { return nil }
        let verb = first.text.uppercased()
        let modifiers: Set<String>
        switch verb {
        case "INSERT", "REPLACE": modifiers = ["LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"]
        case "UPDATE": modifiers = ["LOW_PRIORITY", "IGNORE"]
        case "DELETE": modifiers = ["LOW_PRIORITY", "QUICK", "IGNORE"]
        default: return nil
        }
        var index = 1
        while index < tokens.count, tokens[index].kind == .word, modifiers.contains(tokens[index].text.uppercased()) {
            index += 1
        }
        if verb == "DELETE" {
            guard index < tokens.count, tokens[index].isKeyword("FROM") else { return nil }  // multi-table form
            index += 1
        }
        guard index < tokens.count, let name = tokens[index].identifier else { return nil }
        index += 1
        var table = QualifiedTable(database: defaultDatabase, table: name)
        if index + 1 < tokens.count, tokens[index].isSymbol("."), let second = tokens[index + 1].identifier {
            table = QualifiedTable(database: name, table: second)
            index += 2
        }
        // `UPDATE a, b …`, `UPDATE a JOIN b …`, `DELETE FROM a, b USING …`: several tables.
        if index < tokens.count {
            let next = tokens[index]
            if next.isSymbol(",") || next.isKeyword("JOIN") || next.isKeyword("USING")
                || next.isKeyword("INNER") || next.isKeyword("LEFT") || next.isKeyword("RIGHT")
                || next.isKeyword("STRAIGHT_JOIN")
            {
                return nil
            }
        }
        guard !table.database.isEmpty else { return nil }
        return table
    }
}
