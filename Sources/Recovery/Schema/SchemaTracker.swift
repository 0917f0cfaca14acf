/// The column names of tables as of a position in the binlog: seeded from a backup's schema (or from the
/// `CREATE TABLE` seen in the binlog) and moved forward by the DDL the binlog holds.
///
/// A binlog written with `binlog_row_metadata=MINIMAL` names no columns; a timeline and `binlog show -v` take
/// the names from here, as long as the count still matches the TABLE_MAP's (a table this tracker got wrong,
/// say after DDL it could not follow, shows no names rather than wrong ones).
public struct SchemaTracker: Sendable {
    private var columns: [QualifiedTable: [String]] = [:]

    public init() {}

    /// Seeds the tracker with one table's `CREATE TABLE` text (a backup's schema file).
    ///
    /// - Returns: whether the text was a `CREATE TABLE` with a column list.
    @discardableResult
    public mutating func seed(createTable text: [UInt8], database: String) -> Bool {
        guard
            case .createTable(let table, let columns?, _) = StatementClassifier.classify(
                text,
                defaultDatabase: database
            )
        else { return false }
        self.columns[table] = columns
        return true
    }

    /// The column names of `table`, when known.
    public func columnNames(of table: QualifiedTable) -> [String]? {
        self.columns[table]
    }

    /// The names for a TABLE_MAP of `count` columns, or `nil` when unknown or when the count differs.
    public func columnNames(of table: QualifiedTable, count: Int) -> [String]? {
        guard let names = self.columns[table], names.count == count else { return nil }
        return names
    }

    /// Follows one statement (run with `defaultDatabase` as the current database).
    public mutating func apply(statement text: [UInt8], defaultDatabase: String) {
        self.apply(StatementClassifier.classify(text, defaultDatabase: defaultDatabase))
    }

    mutating func apply(_ statement: SQLStatement) {
        switch statement {
        case .createTable(let table, let columns, _):
            self.columns[table] = columns
        case .createTableLike(let table, let source):
            self.columns[table] = self.columns[source]
        case .renameTables(let renames):
            // Renames apply left to right (`RENAME TABLE a TO tmp, b TO a, tmp TO b` swaps).
            for rename in renames {
                self.columns[rename.to] = self.columns.removeValue(forKey: rename.from)
            }
        case .dropTables(let tables, _):
            for table in tables { self.columns[table] = nil }
        case .dropDatabase(let database):
            for table in self.columns.keys where table.database == database { self.columns[table] = nil }
        case .alterTable(var table, let actions):
            for action in actions {
                guard var names = self.columns[table] else { return }
                switch action {
                case .addColumn(let name, let position):
                    Self.insert(name, at: position, into: &names)
                case .dropColumn(let name):
                    names.removeAll { $0.lowercased() == name.lowercased() }
                case .changeColumn(let from, let to, let position):
                    guard let index = names.firstIndex(where: { $0.lowercased() == from.lowercased() }) else {
                        self.columns[table] = nil
                        return
                    }
                    if position == .last {
                        names[index] = to
                    } else {
                        names.remove(at: index)
                        Self.insert(to, at: position, into: &names)
                    }
                case .renameColumn(let from, let to):
                    guard let index = names.firstIndex(where: { $0.lowercased() == from.lowercased() }) else {
                        self.columns[table] = nil
                        return
                    }
                    names[index] = to
                case .renameTable(let target):
                    self.columns[table] = nil
                    table = target
                case .dropPartition, .dropIndex, .dropPrimaryKey, .dropForeignKey, .other:
                    break
                }
                self.columns[table] = names
            }
        case .truncate, .delete, .update, .other:
            break
        }
    }

    private static func insert(_ name: String, at position: SQLStatement.ColumnPosition, into names: inout [String]) {
        switch position {
        case .last:
            names.append(name)
        case .first:
            names.insert(name, at: 0)
        case .after(let other):
            if let index = names.firstIndex(where: { $0.lowercased() == other.lowercased() }) {
                names.insert(name, at: index + 1)
            } else {
                names.append(name)
            }
        }
    }
}
