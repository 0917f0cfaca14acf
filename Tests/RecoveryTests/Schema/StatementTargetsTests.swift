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

    @Test func viewsTriggersRoutinesAndEventsNameTheirDatabase() {
        let cases: [(String, String, String?)] = [
            (
                "CREATE ALGORITHM=UNDEFINED DEFINER=`rewind`@`%` SQL SECURITY DEFINER VIEW `ctx`.`v` AS SELECT id FROM ctx.t",
                "", "ctx"
            ),
            ("CREATE DEFINER=`rewind`@`%` PROCEDURE `ctx`.`p`()\nSELECT 1", "", "ctx"),
            ("CREATE DEFINER=`rewind`@`%` TRIGGER ctx.tr BEFORE INSERT ON ctx.t FOR EACH ROW SET NEW.n = 5", "", "ctx"),
            ("CREATE DEFINER=`u`@`h` FUNCTION f() RETURNS int DETERMINISTIC RETURN 1", "shop", "shop"),
            ("DROP PROCEDURE IF EXISTS ctx.p", "", "ctx"),
            ("ALTER EVENT ctx.e DISABLE", "other", "ctx"),
            ("DROP VIEW v", "", nil),
            ("GRANT SELECT ON ctx.* TO 'u'@'%'", "", nil),
        ]
        for (sql, database, expected) in cases {
            let targets = Self.targets(sql, database)
            #expect(!targets.isUnderstood, "\(sql)")
            #expect(targets.objectDatabase == expected, "\(sql)")
        }
    }
}
