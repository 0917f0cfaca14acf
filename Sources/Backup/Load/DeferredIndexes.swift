/// The secondary indexes `backup load` adds after a table's data rather than before it: an InnoDB table is created
/// without its plain `KEY`s, its rows are loaded into the primary key alone, and one `ALTER TABLE … ADD KEY …, ADD KEY
/// …` then builds each index by sorting (InnoDB's bulk index build) instead of inserting every row into every index
/// as it arrives. Measured on bench/backup (docs/backup.md).
///
/// Left in place: `PRIMARY KEY` and `UNIQUE` keys (the chunk key and duplicate checks), `FULLTEXT` and `SPATIAL`
/// keys, the keys of tables with foreign keys or that a foreign key references (a constraint needs its index),
/// a key that starts with the `AUTO_INCREMENT` column (the column must be indexed), and every key of a table that
/// is not InnoDB, is system-versioned, or whose `SHOW CREATE TABLE` text is not laid out one definition per line.
struct DeferredIndexes: Equatable, Sendable {
    /// The `CREATE TABLE` text without the deferred keys.
    var createTable: [UInt8]
    /// The deferred keys, each as `SHOW CREATE TABLE` wrote it (`KEY `name` (`column`)`).
    var keys: [String]

    /// `ALTER TABLE db.table ADD KEY …, ADD KEY …`, or `nil` when nothing was deferred.
    func alterStatement(database: String, table: String) -> String? {
        guard !self.keys.isEmpty else { return nil }
        return "ALTER TABLE \(SQLText.qualified(database, table)) "
            + self.keys.map { "ADD " + $0 }.joined(separator: ", ")
    }

    /// Splits `createTable` (a schema file's text: `SHOW CREATE TABLE` and `;\n`).
    ///
    /// - Parameter isReferenced: A foreign key of some table of the backup references this table.
    static func split(_ createTable: [UInt8], isReferenced: Bool) -> DeferredIndexes {
        let unchanged = DeferredIndexes(createTable: createTable, keys: [])
        if isReferenced { return unchanged }
        var lines = createTable.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        // The line that closes the column list starts with ")".
        guard lines.count >= 3, let close = lines.lastIndex(where: { $0.first == 0x29 }) else { return unchanged }
        let tail = String(decoding: lines[close], as: UTF8.self)
        guard tail.contains("ENGINE=InnoDB"), !tail.contains("WITH SYSTEM VERSIONING") else { return unchanged }
        let body = 1..<close
        let definitions = body.map { index -> String? in
            let line = lines[index]
            guard line.count > 2, line[0] == 0x20, line[1] == 0x20, line[2] != 0x20 else { return nil }
            var text = String(decoding: line.dropFirst(2), as: UTF8.self)
            if text.hasSuffix(",") { text.removeLast() }
            return text
        }
        guard definitions.allSatisfy({ $0 != nil }) else { return unchanged }
        let texts = definitions.compactMap { $0 }
        guard !texts.contains(where: { $0.contains("FOREIGN KEY") }) else { return unchanged }
        let autoIncrement = texts.first { $0.hasPrefix("`") && $0.contains(" AUTO_INCREMENT") }.map(
            Self.leadingIdentifier)
        var kept: [String] = []
        var deferred: [String] = []
        for text in texts {
            let isPlainKey = text.hasPrefix("KEY `") || text.hasPrefix("INDEX `")
            let firstColumn = text.firstIndex(of: "(").map {
                Self.leadingIdentifier(String(text[text.index(after: $0)...]))
            }
            if isPlainKey, autoIncrement == nil || firstColumn != autoIncrement {
                deferred.append(text)
            } else {
                kept.append(text)
            }
        }
        guard !deferred.isEmpty, !kept.isEmpty else { return unchanged }
        var rebuilt = Array(lines[..<body.lowerBound])
        for (index, text) in kept.enumerated() {
            rebuilt.append(Array(("  " + text + (index < kept.count - 1 ? "," : "")).utf8))
        }
        rebuilt += lines[close...]
        lines = rebuilt
        return DeferredIndexes(createTable: Array(lines.joined(separator: [0x0A])), keys: deferred)
    }

    /// The identifier a definition starts with: `` `a``b` `` of `` `a``b` int … ``, unescaped.
    private static func leadingIdentifier(_ text: String) -> String {
        guard text.hasPrefix("`") else { return "" }
        var name = ""
        var iterator = text.dropFirst().makeIterator()
        while let character = iterator.next() {
            if character == "`" {
                guard let following = iterator.next(), following == "`" else { return name }
            }
            name.append(character)
        }
        return name
    }
}
