import BinlogFormat
import Testing

@testable import Flashback

@Suite struct RowReverserTests {
    /// `shop`.`items` (id INT PRIMARY KEY, name VARCHAR utf8mb4, price DECIMAL(10,2), total INT generated).
    static func table(primaryKey: Bool = true, generated: Set<String> = ["total"]) throws -> UndoTable {
        let map = TableMapEvent(
            tableID: 7, flags: 0, database: "shop", table: "items",
            columns: [
                ColumnDescriptor(
                    type: .long, isNullable: false, isUnsigned: false, name: "id", isPrimaryKey: primaryKey),
                ColumnDescriptor(type: .varchar, metadata: 80, collation: 45, name: "name"),
                ColumnDescriptor(type: .newdecimal, metadata: 0x0A02, isUnsigned: false, name: "price"),
                ColumnDescriptor(type: .long, isUnsigned: false, name: "total"),
            ])
        let hint = TableSchemaHint(columns: ["id", "name", "price", "total"], generatedColumns: generated)
        return try UndoTable(map: map, hint: hint, file: "mysql-bin.000001", position: 100)
    }

    static func image(_ id: Int64, _ name: String, _ price: String, _ total: Int64) -> RowImage {
        RowImage(values: [.signed(id), .string(Array(name.utf8), collation: 45), .decimal(price), .signed(total)])
    }

    static func undo(
        _ kind: RowsEvent.Kind, before: RowImage?, after: RowImage?, minimal: Bool = false,
        table: UndoTable? = nil
    ) throws -> UndoStatement {
        let table = try table ?? Self.table()
        var beforeLiterals = RowLiterals()
        var afterLiterals = RowLiterals()
        if let before {
            try beforeLiterals.fill(
                values: before.values, table: table, name: "before", file: "mysql-bin.000001", position: 100)
        }
        if let after {
            try afterLiterals.fill(
                values: after.values, table: table, name: "after", file: "mysql-bin.000001", position: 100)
        }
        let statement = RowReverser(minimal: minimal).undo(
            kind, before: beforeLiterals, after: afterLiterals, table: table)
        // The script's form is the same statement.
        var script: [UInt8] = []
        RowReverser(minimal: minimal, conflictContext: false).appendUndo(
            kind, before: beforeLiterals, after: afterLiterals, table: table, to: &script)
        #expect(script == statement.sql)
        return statement
    }

    @Test func anInsertIsUndoneByAGuardedDelete() throws {
        let statement = try Self.undo(.insert, before: nil, after: Self.image(5, "pen", "1.50", 3))
        #expect(
            statement.sqlText == "DELETE FROM `shop`.`items` WHERE `id` = 5 "
                + "AND CAST(`name` AS BINARY) <=> CAST('pen' AS BINARY) AND `price` <=> 1.50")
        #expect(statement.kind == .delete)
        #expect(statement.key == "`id`=5")
        #expect(String(decoding: statement.lookup, as: UTF8.self) == "SELECT * FROM `shop`.`items` WHERE `id` = 5")
    }

    @Test func aDeleteIsUndoneByAnInsertUnlessTheKeyIsTakenAgain() throws {
        let statement = try Self.undo(.delete, before: Self.image(5, "it's", "1.50", 3), after: nil)
        #expect(
            statement.sqlText == "INSERT INTO `shop`.`items` (`id`, `name`, `price`) SELECT 5, 'it''s', 1.50 "
                + "FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `shop`.`items` WHERE `id` = 5)")
    }

    @Test func anUpdateIsSetBackWhereTheRowIsStillAsItWasLeft() throws {
        let statement = try Self.undo(
            .update, before: Self.image(5, "pen", "1.50", 3), after: Self.image(5, "pen", "2.00", 4))
        #expect(
            statement.sqlText == "UPDATE `shop`.`items` SET `id` = 5, `name` = 'pen', `price` = 1.50 "
                + "WHERE `id` = 5 AND CAST(`name` AS BINARY) <=> CAST('pen' AS BINARY) AND `price` <=> 2.00")
    }

    @Test func minimalSetsAndGuardsOnlyTheChangedColumns() throws {
        let statement = try Self.undo(
            .update, before: Self.image(5, "pen", "1.50", 3), after: Self.image(5, "pen", "2.00", 4), minimal: true)
        #expect(statement.sqlText == "UPDATE `shop`.`items` SET `price` = 1.50 WHERE `id` = 5 AND `price` <=> 2.00")
    }

    @Test func aTableWithoutAKeyIsMatchedOnEveryColumnWithLimitOne() throws {
        let table = try Self.table(primaryKey: false, generated: [])
        let delete = try Self.undo(.insert, before: nil, after: Self.image(5, "pen", "1.50", 3), table: table)
        #expect(
            delete.sqlText == "DELETE FROM `shop`.`items` WHERE `id` <=> 5 "
                + "AND CAST(`name` AS BINARY) <=> CAST('pen' AS BINARY) AND `price` <=> 1.50 AND `total` <=> 3 LIMIT 1")
        #expect(delete.lookup.isEmpty)
        let insert = try Self.undo(.delete, before: Self.image(5, "pen", "1.50", 3), after: nil, table: table)
        #expect(
            insert.sqlText == "INSERT INTO `shop`.`items` (`id`, `name`, `price`, `total`) VALUES (5, 'pen', 1.50, 3)")
        let update = try Self.undo(
            .update, before: Self.image(5, "pen", "1.50", 3), after: Self.image(5, "pen", "2.00", 3), minimal: true,
            table: table)
        #expect(
            update.sqlText.hasSuffix(
                "WHERE `id` <=> 5 AND CAST(`name` AS BINARY) <=> CAST('pen' AS BINARY) AND `price` <=> 2.00 "
                    + "AND `total` <=> 3 LIMIT 1"))
    }

    @Test func aMinimalBeforeImageIsRefusedNamingTheColumn() throws {
        let before = RowImage(values: [.signed(5), nil, nil, nil])
        let error = #expect(throws: FlashbackError.self) {
            try Self.undo(.update, before: before, after: Self.image(5, "pen", "2.00", 4))
        }
        #expect(error?.code == .refused)
        #expect(error?.description.contains("mysql-bin.000001:100") == true)
        #expect(error?.description.contains("`name`") == true)
        #expect(error?.description.contains("binlog_row_image=MINIMAL") == true)
    }

    @Test func aBinlogWithoutColumnNamesIsRefused() {
        let map = TableMapEvent(
            tableID: 7, flags: 0, database: "shop", table: "items", columns: [ColumnDescriptor(type: .long)])
        let error = #expect(throws: FlashbackError.self) {
            try UndoTable(map: map, hint: nil, file: "mysql-bin.000001", position: 100)
        }
        #expect(error?.description.contains("binlog_row_metadata") == true)
    }
}
