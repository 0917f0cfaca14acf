import Testing

@testable import Recovery

/// What a statement writes, for restore's database and table filters: DDL, and statement-format DML on one table.
@Suite struct StatementTargetsTests {
    static func targets(_ sql: String, _ database: String = "") -> StatementTargets {
        StatementTargets(Array(sql.utf8), defaultDatabase: database)
    }

    @Test func singleTableDMLNamesItsTable() {
        let cases: [(String, String, String)] = [
            ("INSERT INTO ctx.t (r) VALUES (RAND())", "", "ctx.t"),
            ("insert ignore into `my db`.`t 1` values (1)", "", "my db.t 1"),
            ("INSERT t VALUES (1)", "shop", "shop.t"),
            ("REPLACE LOW_PRIORITY INTO t SELECT * FROM other.x", "shop", "shop.t"),
            ("UPDATE IGNORE shop.stock SET qty = 0 WHERE sku = 1", "", "shop.stock"),
            ("DELETE QUICK FROM orders WHERE id = 3", "shop", "shop.orders"),
        ]
        for (sql, database, table) in cases {
            let targets = Self.targets(sql, database)
            #expect(targets.isUnderstood, "\(sql)")
            #expect(targets.tables.map(\.description) == [table], "\(sql)")
        }
    }

    @Test func whatCannotBeToldStaysNotUnderstood() {
        for sql in [
            "UPDATE a, b SET a.x = b.x WHERE a.id = b.id", "UPDATE a JOIN b ON a.id = b.id SET a.x = 1",
            "DELETE a FROM a JOIN b ON a.id = b.id", "DELETE FROM a USING a, b WHERE a.id = b.id",
            "INSERT INTO t VALUES (1)",  // no database: neither named nor current
            "GRANT SELECT ON *.* TO 'u'@'%'", "CREATE VIEW v AS SELECT 1",
        ] {
            #expect(!Self.targets(sql).isUnderstood, "\(sql)")
        }
    }
}
