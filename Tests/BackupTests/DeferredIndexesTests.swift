import Testing

@testable import Backup

/// Which keys `backup load` adds after the data, and the table text without them.
@Suite struct DeferredIndexesTests {
    static func text(_ lines: [String], tail: String = ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4") -> [UInt8] {
        Array(("CREATE TABLE `t` (\n" + lines.joined(separator: ",\n") + "\n" + tail + ";\n").utf8)
    }

    @Test func plainKeysMoveToOneAlterAndTheRestStays() {
        let split = DeferredIndexes.split(
            Self.text([
                "  `id` bigint(20) unsigned NOT NULL", "  `customer` int(11) NOT NULL",
                "  `note` varchar(200) DEFAULT NULL",
                "  PRIMARY KEY (`id`)", "  UNIQUE KEY `u_note` (`note`)", "  KEY `customer` (`customer`)",
                "  KEY `c``n` (`customer`,`note`(10))",
            ]),
            isReferenced: false
        )
        #expect(split.keys == ["KEY `customer` (`customer`)", "KEY `c``n` (`customer`,`note`(10))"])
        #expect(
            String(decoding: split.createTable, as: UTF8.self)
                == String(
                    decoding: Self.text([
                        "  `id` bigint(20) unsigned NOT NULL", "  `customer` int(11) NOT NULL",
                        "  `note` varchar(200) DEFAULT NULL", "  PRIMARY KEY (`id`)", "  UNIQUE KEY `u_note` (`note`)",
                    ]),
                    as: UTF8.self
                )
        )
        #expect(
            split.alterStatement(database: "shop", table: "orders")
                == "ALTER TABLE `shop`.`orders` ADD KEY `customer` (`customer`), ADD KEY `c``n` (`customer`,`note`(10))"
        )
    }

    @Test(arguments: [
        // Foreign keys, a referenced table, another engine, system versioning, full-text and spatial keys.
        (
            [
                "  `id` int NOT NULL", "  `p` int", "  PRIMARY KEY (`id`)", "  KEY `p` (`p`)",
                "  CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `parent` (`id`)",
            ], ") ENGINE=InnoDB", false
        ),
        (["  `id` int NOT NULL", "  `p` int", "  PRIMARY KEY (`id`)", "  KEY `p` (`p`)"], ") ENGINE=InnoDB", true),
        (["  `id` int NOT NULL", "  `p` int", "  PRIMARY KEY (`id`)", "  KEY `p` (`p`)"], ") ENGINE=MyISAM", false),
        (
            ["  `id` int NOT NULL", "  `p` int", "  PRIMARY KEY (`id`)", "  KEY `p` (`p`)"],
            ") ENGINE=InnoDB WITH SYSTEM VERSIONING", false
        ),
        (
            ["  `id` int NOT NULL", "  `b` text", "  PRIMARY KEY (`id`)", "  FULLTEXT KEY `b` (`b`)"],
            ") ENGINE=InnoDB", false
        ),
    ])
    func keysStayWhereMovingThemIsNotSafe(lines: [String], tail: String, isReferenced: Bool) {
        let text = Self.text(lines, tail: tail)
        let split = DeferredIndexes.split(text, isReferenced: isReferenced)
        #expect(split.keys.isEmpty)
        #expect(split.createTable == text)
        #expect(split.alterStatement(database: "d", table: "t") == nil)
    }

    @Test func aKeyThatIndexesTheAutoIncrementColumnStays() {
        let split = DeferredIndexes.split(
            Self.text([
                "  `id` int NOT NULL AUTO_INCREMENT", "  `k` int NOT NULL", "  `v` int", "  PRIMARY KEY (`k`)",
                "  KEY `id` (`id`)", "  KEY `v` (`v`)",
            ]),
            isReferenced: false
        )
        #expect(split.keys == ["KEY `v` (`v`)"])
        #expect(String(decoding: split.createTable, as: UTF8.self).contains("  KEY `id` (`id`)\n) ENGINE=InnoDB"))
    }
}
