/// What a statement does, as far as a timeline cares: schema changes, and whether a DELETE or UPDATE has a WHERE.
enum SQLStatement: Hashable, Sendable {
    /// `CREATE [OR REPLACE] TABLE t (…)`; `columns` is `nil` when the text has no column list (`CREATE … SELECT`).
    case createTable(QualifiedTable, columns: [String]?, orReplace: Bool)
    /// `CREATE TABLE t LIKE source`.
    case createTableLike(QualifiedTable, source: QualifiedTable)
    case alterTable(QualifiedTable, actions: [AlterAction])
    /// `RENAME TABLE a TO b, c TO d`.
    case renameTables([Rename])
    /// `DROP [TEMPORARY] TABLE a, b`.
    case dropTables([QualifiedTable], temporary: Bool)
    case dropDatabase(String)
    case truncate(QualifiedTable)
    /// `DELETE …` or `UPDATE …`; `hasWhere` is whether a WHERE clause stands outside parentheses.
    case delete(hasWhere: Bool)
    case update(hasWhere: Bool)
    case other

    struct Rename: Hashable, Sendable {
        var from: QualifiedTable
        var to: QualifiedTable
    }

    /// Where an added or moved column goes.
    enum ColumnPosition: Hashable, Sendable {
        case last, first
        case after(String)
    }

    /// One clause of an `ALTER TABLE`.
    enum AlterAction: Hashable, Sendable {
        case addColumn(String, ColumnPosition)
        case dropColumn(String)
        case changeColumn(from: String, to: String, ColumnPosition)
        case renameColumn(from: String, to: String)
        case renameTable(QualifiedTable)
        /// `DROP PARTITION p…` or `TRUNCATE PARTITION p…`.
        case dropPartition([String])
        case dropIndex(String)
        case dropPrimaryKey
        case dropForeignKey(String)
        case other
    }
}
