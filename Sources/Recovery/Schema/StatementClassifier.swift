/// Reads a statement's text into a ``SQLStatement``: the DDL a schema follows and the DML a timeline judges.
///
/// A statement it does not understand is ``SQLStatement/other``, never an error: the binlog may hold any SQL.
enum StatementClassifier {
    /// Classifies `text`, run with `defaultDatabase` as the current database (the Query event's `db`).
    static func classify(_ text: [UInt8], defaultDatabase: String) -> SQLStatement {
        let head = SQLLexer.tokens(text, limit: 1)
        guard let first = head.first, first.kind == .word else { return .other }
        switch first.text.uppercased() {
        case "CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE", "DELETE", "UPDATE":
            break
        default:
            return .other
        }
        let tokens = SQLLexer.tokens(text)
        var parser = Parser(tokens: tokens, defaultDatabase: defaultDatabase)
        return parser.statement()
    }

    private struct Parser {
        let tokens: [SQLToken]
        let defaultDatabase: String
        var index = 0

        init(tokens: [SQLToken], defaultDatabase: String) {
            self.tokens = tokens
            self.defaultDatabase = defaultDatabase
        }

        var current: SQLToken? { self.index < self.tokens.count ? self.tokens[self.index] : nil }

        mutating func accept(_ keyword: String) -> Bool {
            guard let token = self.current, token.isKeyword(keyword) else { return false }
            self.index += 1
            return true
        }

        mutating func accept(_ keywords: [String]) -> Bool {
            let saved = self.index
            for keyword in keywords where !self.accept(keyword) {
                self.index = saved
                return false
            }
            return true
        }

        mutating func identifier() -> String? {
            guard let name = self.current?.identifier else { return nil }
            self.index += 1
            return name
        }

        mutating func tableName() -> QualifiedTable? {
            guard let first = self.identifier() else { return nil }
            if let dot = self.current, dot.isSymbol("."), self.index + 1 < self.tokens.count,
                let second = self.tokens[self.index + 1].identifier
            {
                self.index += 2
                return QualifiedTable(database: first, table: second)
            }
            return QualifiedTable(database: self.defaultDatabase, table: first)
        }

        mutating func statement() -> SQLStatement {
            guard let first = self.current?.text.uppercased() else { return .other }
            self.index += 1
            switch first {
            case "DELETE": return .delete(hasWhere: self.hasTopLevelWhere())
            case "UPDATE": return .update(hasWhere: self.hasTopLevelWhere())
            case "TRUNCATE":
                _ = self.accept("TABLE")
                return self.tableName().map { .truncate($0) } ?? .other
            case "DROP": return self.drop()
            case "RENAME": return self.rename()
            case "CREATE": return self.create()
            case "ALTER": return self.alter()
            default: return .other
            }
        }

        func hasTopLevelWhere() -> Bool {
            var depth = 0
            for token in self.tokens[self.index...] {
                if token.isSymbol("(") {
                    depth += 1
                } else if token.isSymbol(")") {
                    depth -= 1
                } else if depth == 0, token.isKeyword("WHERE") {
                    return true
                }
            }
            return false
        }

        mutating func drop() -> SQLStatement {
            if self.accept("DATABASE") || self.accept("SCHEMA") {
                _ = self.accept(["IF", "EXISTS"])
                return self.identifier().map { .dropDatabase($0) } ?? .other
            }
            let temporary = self.accept("TEMPORARY")
            guard self.accept("TABLE") || self.accept("TABLES") else { return .other }
            _ = self.accept(["IF", "EXISTS"])
            var tables: [QualifiedTable] = []
            while let table = self.tableName() {
                tables.append(table)
                guard let comma = self.current, comma.isSymbol(",") else { break }
                self.index += 1
            }
            return tables.isEmpty ? .other : .dropTables(tables, temporary: temporary)
        }

        mutating func rename() -> SQLStatement {
            guard self.accept("TABLE") || self.accept("TABLES") else { return .other }
            var renames: [SQLStatement.Rename] = []
            while let from = self.tableName() {
                if self.accept("WAIT") { self.skipNumber() }
                _ = self.accept("NOWAIT")
                guard self.accept("TO"), let to = self.tableName() else { break }
                renames.append(SQLStatement.Rename(from: from, to: to))
                guard let comma = self.current, comma.isSymbol(",") else { break }
                self.index += 1
            }
            return renames.isEmpty ? .other : .renameTables(renames)
        }

        mutating func skipNumber() {
            if self.current?.kind == .number { self.index += 1 }
        }

        mutating func create() -> SQLStatement {
            let orReplace = self.accept(["OR", "REPLACE"])
            if self.accept("TEMPORARY") { return .other }
            guard self.accept("TABLE") else { return .other }
            _ = self.accept(["IF", "NOT", "EXISTS"])
            guard let table = self.tableName() else { return .other }
            if self.accept("LIKE") {
                return self.tableName().map { .createTableLike(table, source: $0) } ?? .other
            }
            if let open = self.current, open.isSymbol("(") {
                if self.index + 1 < self.tokens.count, self.tokens[self.index + 1].isKeyword("LIKE") {
                    self.index += 2
                    return self.tableName().map { .createTableLike(table, source: $0) } ?? .other
                }
                guard let body = self.parenthesised() else {
                    return .createTable(table, columns: nil, orReplace: orReplace)
                }
                let columns = SQLLexer.splitTopLevel(body).compactMap(Self.columnName(ofDefinition:))
                return .createTable(table, columns: columns, orReplace: orReplace)
            }
            return .createTable(table, columns: nil, orReplace: orReplace)
        }

        /// The tokens inside the parentheses that start here; moves past the closing one.
        mutating func parenthesised() -> ArraySlice<SQLToken>? {
            guard let open = self.current, open.isSymbol("(") else { return nil }
            var depth = 0
            let start = self.index + 1
            while self.index < self.tokens.count {
                let token = self.tokens[self.index]
                if token.isSymbol("(") { depth += 1 }
                if token.isSymbol(")") {
                    depth -= 1
                    if depth == 0 {
                        let body = self.tokens[start..<self.index]
                        self.index += 1
                        return body
                    }
                }
                self.index += 1
            }
            return nil
        }

        static let definitionKeywords: Set<String> = [
            "PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK", "PERIOD",
            "VECTOR",
        ]

        /// The column a `CREATE TABLE` element defines, or `nil` for an index, key or constraint.
        static func columnName(ofDefinition element: ArraySlice<SQLToken>) -> String? {
            guard let first = element.first else { return nil }
            if first.kind == .word, Self.definitionKeywords.contains(first.text.uppercased()) { return nil }
            return first.identifier
        }

        mutating func alter() -> SQLStatement {
            _ = self.accept("ONLINE")
            _ = self.accept("IGNORE")
            guard self.accept("TABLE") else { return .other }
            _ = self.accept(["IF", "EXISTS"])
            guard let table = self.tableName() else { return .other }
            let actions = SQLLexer.splitTopLevel(self.tokens[self.index...]).flatMap { clause in
                var parser = Parser(tokens: Array(clause), defaultDatabase: self.defaultDatabase)
                return parser.alterActions()
            }
            return .alterTable(table, actions: actions)
        }

        mutating func position() -> SQLStatement.ColumnPosition {
            while let token = self.current {
                if token.isKeyword("FIRST") { return .first }
                if token.isKeyword("AFTER") {
                    self.index += 1
                    return self.identifier().map { .after($0) } ?? .last
                }
                self.index += 1
            }
            return .last
        }

        /// The actions of one comma-separated clause of an ALTER TABLE (several for `ADD (a …, b …)`).
        mutating func alterActions() -> [SQLStatement.AlterAction] {
            if self.accept("ADD") {
                let explicitColumn = self.accept("COLUMN")
                _ = self.accept(["IF", "NOT", "EXISTS"])
                if let open = self.current, open.isSymbol("(") {
                    guard let body = self.parenthesised() else { return [.other] }
                    return SQLLexer.splitTopLevel(body).compactMap(Self.columnName(ofDefinition:)).map {
                        .addColumn($0, .last)
                    }
                }
                guard let token = self.current else { return [.other] }
                if !explicitColumn, token.kind == .word,
                    Self.definitionKeywords.contains(token.text.uppercased())
                        || ["PARTITION", "SYSTEM"].contains(token.text.uppercased())
                {
                    return [.other]
                }
                guard let name = self.identifier() else { return [.other] }
                return [.addColumn(name, self.position())]
            }
            if self.accept("DROP") {
                if self.accept("PARTITION") { return [.dropPartition(self.names())] }
                if self.accept(["PRIMARY", "KEY"]) { return [.dropPrimaryKey] }
                if self.accept(["FOREIGN", "KEY"]) {
                    _ = self.accept(["IF", "EXISTS"])
                    return [.dropForeignKey(self.identifier() ?? "")]
                }
                if self.accept("INDEX") || self.accept("KEY") {
                    _ = self.accept(["IF", "EXISTS"])
                    return [.dropIndex(self.identifier() ?? "")]
                }
                if self.accept("CONSTRAINT") || self.accept("CHECK") || self.accept("PERIOD") || self.accept("SYSTEM") {
                    return [.other]
                }
                _ = self.accept("COLUMN")
                _ = self.accept(["IF", "EXISTS"])
                return self.identifier().map { [.dropColumn($0)] } ?? [.other]
            }
            if self.accept(["TRUNCATE", "PARTITION"]) { return [.dropPartition(self.names())] }
            if self.accept("CHANGE") {
                _ = self.accept("COLUMN")
                _ = self.accept(["IF", "EXISTS"])
                guard let from = self.identifier(), let to = self.identifier() else { return [.other] }
                return [.changeColumn(from: from, to: to, self.position())]
            }
            if self.accept("MODIFY") {
                _ = self.accept("COLUMN")
                _ = self.accept(["IF", "EXISTS"])
                guard let name = self.identifier() else { return [.other] }
                return [.changeColumn(from: name, to: name, self.position())]
            }
            if self.accept("RENAME") {
                if self.accept("COLUMN") {
                    _ = self.accept(["IF", "EXISTS"])
                    guard let from = self.identifier(), self.accept("TO"), let to = self.identifier() else {
                        return [.other]
                    }
                    return [.renameColumn(from: from, to: to)]
                }
                if self.accept("INDEX") || self.accept("KEY") { return [.other] }
                _ = self.accept("TO") || self.accept("AS")
                return self.tableName().map { [.renameTable($0)] } ?? [.other]
            }
            return [.other]
        }

        mutating func names() -> [String] {
            var names: [String] = []
            while let token = self.current {
                if let name = token.identifier { names.append(name) }
                self.index += 1
            }
            return names
        }
    }
}
