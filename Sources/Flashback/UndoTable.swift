import BinlogFormat
import SQLRendering

/// A table as the undo statements write it: its columns as the binlog's TABLE_MAP gives them at that point
/// (the schema in force then), the columns that can be written, and how a row is found.
struct UndoTable: Sendable {
    /// How rows of the table are found.
    enum KeySource: String, Sendable, Equatable {
        /// The primary key, from the TABLE_MAP's optional metadata (`binlog_row_metadata=FULL`).
        case primaryKey = "primary key"
        /// A unique key of NOT NULL columns, from the server's `information_schema`.
        case uniqueKey = "unique key"
        /// No key: every column is compared and `LIMIT 1` applies.
        case allColumns = "all columns"
    }

    var database: String
    var table: String
    /// The TABLE_MAP the rows were read with.
    var map: TableMapEvent
    var columns: [ColumnDescriptor]
    var names: [String]
    /// `` `name` `` of each column, as bytes.
    var quotedNames: [[UInt8]]
    /// How each column's literals are written (copied per value without reference counting).
    var literals: [SQLLiteralPlan]
    /// How each column's values are stored in row images.
    var plans: [VerboseColumn]
    /// Whether a column's literal is written (a writable or a key column).
    var rendered: [Bool]
    /// Columns that are not generated, in table order.
    var writable: [Int]
    /// Key columns (empty for ``KeySource/allColumns``).
    var key: [Int]
    /// The table's other unique keys (from the server's `information_schema`; none without a server), each as
    /// column indexes: the undo of a DELETE puts a row back only where no row holds its values of them.
    var otherUniqueKeys: [[Int]] = []
    var keySource: KeySource
    /// `` `db`.`table` ``.
    var qualifiedName: [UInt8]
    /// The undo statements' text around the literals: an INSERT's (undoing a DELETE), a DELETE's (undoing an
    /// INSERT), an UPDATE's setting every column back.
    var templates: (insert: UndoStatementTemplate, delete: UndoStatementTemplate, update: UndoStatementTemplate)

    var displayName: String { "\(self.database).\(self.table)" }

    /// - Throws: ``FlashbackError`` `.refused` when the binlog does not name the columns.
    init(map: TableMapEvent, hint: TableSchemaHint?, file: String, position: UInt64) throws {
        self.database = map.database
        self.table = map.table
        self.map = map
        self.columns = map.columns
        guard map.columns.allSatisfy({ $0.name != nil }) else {
            throw FlashbackError.refused(
                "the binlog does not name the columns of \(map.database).\(map.table) "
                    + "(binlog_row_metadata is not FULL): undo SQL needs them; set binlog_row_metadata=FULL "
                    + "(MySQL 8.0.1+, MariaDB 10.5+) for the binlogs to come, and use `rewind restore` for this one",
                file: file, position: position)
        }
        let names = map.columns.map { $0.name ?? "" }
        self.names = names
        self.quotedNames = names.map { name in
            var bytes: [UInt8] = []
            SQLIdentifier.append(name, to: &bytes)
            return bytes
        }
        self.literals = map.columns.map(SQLLiteralPlan.init)
        self.plans = self.literals.map(\.storage)
        let generated = hint?.generatedColumns ?? []
        self.writable = names.indices.filter { !generated.contains(names[$0]) }
        var qualified: [UInt8] = []
        SQLIdentifier.appendQualified(database: map.database, table: map.table, to: &qualified)
        self.qualifiedName = qualified
        let primary = map.columns.indices.filter { map.columns[$0].isPrimaryKey }
        if !primary.isEmpty {
            self.key = primary
            self.keySource = .primaryKey
        } else if let hint, !hint.primaryKey.isEmpty, let indexes = Self.indexes(of: hint.primaryKey, in: names) {
            self.key = indexes
            self.keySource = .primaryKey
        } else if let hint, !hint.uniqueKey.isEmpty, let indexes = Self.indexes(of: hint.uniqueKey, in: names) {
            self.key = indexes
            self.keySource = .uniqueKey
        } else {
            self.key = []
            self.keySource = .allColumns
        }
        let keySet = Set(self.key)
        let writableSet = Set(self.writable)
        self.otherUniqueKeys = (hint?.uniqueKeys ?? []).compactMap { keyNames in
            guard let indexes = Self.indexes(of: keyNames, in: names), Set(indexes) != keySet,
                indexes.allSatisfy(writableSet.contains)
            else { return nil }
            return indexes
        }
        var rendered = Array(repeating: false, count: names.count)
        for index in self.writable { rendered[index] = true }
        for index in self.key { rendered[index] = true }
        self.rendered = rendered
        self.templates = (UndoStatementTemplate(), UndoStatementTemplate(), UndoStatementTemplate())
        var insert = UndoStatementTemplate()
        var delete = UndoStatementTemplate()
        var update = UndoStatementTemplate()
        RowReverser.compose(.delete, table: self, columns: [], into: &insert)
        RowReverser.compose(.insert, table: self, columns: [], into: &delete)
        RowReverser.compose(.update, table: self, columns: self.writable, into: &update)
        self.templates = (insert, delete, update)
    }

    private static func indexes(of keyNames: [String], in names: [String]) -> [Int]? {
        var result: [Int] = []
        for name in keyNames {
            guard let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else { return nil }
            result.append(index)
        }
        return result
    }
}
