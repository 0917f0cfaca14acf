import Testing

@testable import Recovery

@Suite struct SchemaTrackerTests {
    static let table = QualifiedTable(database: "shop", table: "t")

    @Test func followsAlterRenameAndDrop() {
        var schema = SchemaTracker()
        let seeded = schema.seed(
            createTable: Array("CREATE TABLE `t` (`a` int, `b` text, PRIMARY KEY (`a`));\n".utf8),
            database: "shop"
        )
        #expect(seeded)
        #expect(schema.columnNames(of: Self.table, count: 2) == ["a", "b"])
        #expect(schema.columnNames(of: Self.table, count: 3) == nil)
        schema.apply(
            statement: Array("ALTER TABLE t ADD COLUMN c INT AFTER a, DROP COLUMN b".utf8),
            defaultDatabase: "shop"
        )
        #expect(schema.columnNames(of: Self.table) == ["a", "c"])
        schema.apply(statement: Array("ALTER TABLE t CHANGE c d BIGINT FIRST, ADD z INT".utf8), defaultDatabase: "shop")
        #expect(schema.columnNames(of: Self.table) == ["d", "a", "z"])
        schema.apply(statement: Array("RENAME TABLE t TO u".utf8), defaultDatabase: "shop")
        #expect(schema.columnNames(of: Self.table) == nil)
        #expect(schema.columnNames(of: QualifiedTable(database: "shop", table: "u")) == ["d", "a", "z"])
        schema.apply(statement: Array("DROP TABLE u".utf8), defaultDatabase: "shop")
        #expect(schema.columnNames(of: QualifiedTable(database: "shop", table: "u")) == nil)
    }

    @Test func aColumnItCannotFindForgetsTheTableRatherThanGuess() {
        var schema = SchemaTracker()
        schema.apply(statement: Array("CREATE TABLE t (a INT, b INT)".utf8), defaultDatabase: "shop")
        schema.apply(statement: Array("ALTER TABLE t CHANGE nope x INT".utf8), defaultDatabase: "shop")
        #expect(schema.columnNames(of: Self.table) == nil)
    }
}
