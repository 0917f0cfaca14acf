/// The UNIQUE keys (other than the primary key) of a backup's tables, read from their `SHOW CREATE TABLE` text. The
/// binlog's TABLE_MAP names the primary key only, and `--skip` needs the others too: a skipped change that freed a
/// unique value (a DELETE, or an UPDATE that changed it) which a later transaction then took is a dependent, since
/// replayed without the skipped change the later one would clash with the row that still holds the value.
///
/// Keys the backup does not show (added after it) are not known. A key on a column prefix (`` `email`(10) ``) is
/// compared by whole values, so a clash of prefixes alone is not found. A key on an expression is left out.
struct BackupUniqueKeys: Sendable {
    struct Key: Sendable, Equatable {
        var name: String
        var columns: [String]
    }

    /// Keys by lower-cased `db.table`.
    private(set) var byTable: [String: [Key]] = [:]

    var isEmpty: Bool { self.byTable.isEmpty }

    mutating func add(createTable text: String, database: String, table: String) {
        let keys = Self.parse(text)
        if !keys.isEmpty { self.byTable["\(database).\(table)".lowercased()] = keys }
    }

    func keys(database: String, table: String) -> [Key] {
        self.byTable["\(database).\(table)".lowercased()] ?? []
    }

    /// The `UNIQUE KEY` lines of a `CREATE TABLE` statement as `SHOW CREATE TABLE` writes them (one key per line:
    /// `` UNIQUE KEY `name` (`a`,`b`(10) DESC) USING HASH, ``).
    static func parse(_ text: String) -> [Key] {
        var keys: [Key] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var rest = Substring(line.drop(while: { $0 == " " || $0 == "\t" }))
            var matched = false
            for prefix in ["UNIQUE KEY ", "UNIQUE INDEX ", "UNIQUE "] where rest.uppercased().hasPrefix(prefix) {
                rest = rest.dropFirst(prefix.count)
                matched = true
                break
            }
            guard matched, let name = Self.identifier(&rest) else { continue }
            rest = rest.drop(while: { $0 == " " })
            guard rest.first == "(" else { continue }
            rest = rest.dropFirst()
            var columns: [String] = []
            var valid = true
            while valid {
                rest = rest.drop(while: { $0 == " " })
                guard let column = Self.identifier(&rest) else {
                    valid = false  // an expression, not a column
                    break
                }
                columns.append(column)
                // A prefix length, then ASC/DESC.
                rest = rest.drop(while: { $0 == " " })
                if rest.first == "(" {
                    guard let close = rest.firstIndex(of: ")") else {
                        valid = false
                        break
                    }
                    rest = rest[rest.index(after: close)...]
                }
                rest = rest.drop(while: { $0 != "," && $0 != ")" })
                guard let separator = rest.first else {
                    valid = false
                    break
                }
                rest = rest.dropFirst()
                if separator == ")" { break }
            }
            if valid, !columns.isEmpty { keys.append(Key(name: name, columns: columns)) }
        }
        return keys
    }

    /// A backquoted identifier at the start of `text` (`` `a``b` `` is a`b), consumed.
    private static func identifier(_ text: inout Substring) -> String? {
        guard text.first == "`" else { return nil }
        var name = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "`" {
                if next < text.endIndex, text[next] == "`" {
                    name.append("`")
                    index = text.index(after: next)
                    continue
                }
                text = text[next...]
                return name
            }
            name.append(character)
            index = next
        }
        return nil
    }
}
