import Foundation

/// The triggers of a backup, by the table they are on. Row-format changes carry the rows their triggers wrote as row
/// events of their own, but a change replayed from a statement-format binlog sets the triggers off again on the
/// target, or, when the restore does not load them (`--database`, `--table` or `--into-database`: their bodies name
/// databases and tables a partial or renamed load would not match), leaves out what they did on the source. The plan
/// refuses the latter; for the former, the proof counts the table's database as changed (a trigger writes where its
/// body says, which is not parsed).
struct BackupTriggers: Sendable {
    /// Trigger names by lower-cased `db.table`.
    private(set) var byTable: [String: [String]] = [:]

    var isEmpty: Bool { self.byTable.isEmpty }

    /// Lower-cased `db.table` of every table with a trigger.
    var tables: Set<String> { Set(self.byTable.keys) }

    /// Adds the triggers of a backup's triggers file of `database` (`CREATE … TRIGGER name {BEFORE|AFTER}
    /// {INSERT|UPDATE|DELETE} ON [db.]table …`, as `SHOW CREATE TRIGGER` gives them).
    mutating func add(triggersFile text: String, database: String) {
        let identifier = #"(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)"#
        let pattern =
            #"\bTRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"# + identifier + #"\s*\.\s*)?("# + identifier
            + #")\s+(?:BEFORE|AFTER)\s+"#
            + #"(?:INSERT|UPDATE|DELETE)\s+ON\s+(?:("# + identifier + #")\s*\.\s*)?("# + identifier + ")"
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return }
        let whole = NSRange(text.startIndex..., in: text)
        for match in expression.matches(in: text, range: whole) {
            func group(_ index: Int) -> String? {
                guard let range = Range(match.range(at: index), in: text) else { return nil }
                return Self.unquoted(String(text[range]))
            }
            guard let name = group(1), let table = group(3) else { continue }
            let key = "\(group(2) ?? database).\(table)".lowercased()
            self.byTable[key, default: []].append(name)
        }
    }

    /// The triggers on `database`.`table`.
    func triggers(database: String, table: String) -> [String] {
        self.byTable["\(database).\(table)".lowercased()] ?? []
    }

    static func unquoted(_ identifier: String) -> String {
        guard identifier.hasPrefix("`"), identifier.hasSuffix("`"), identifier.count >= 2 else { return identifier }
        return String(identifier.dropFirst().dropLast()).replacingOccurrences(of: "``", with: "`")
    }

    /// Whether `query` is a `CREATE [DEFINER=…] TRIGGER`.
    static func createsTrigger(_ query: [UInt8]) -> Bool {
        let head = String(decoding: query.prefix(300), as: UTF8.self).uppercased()
        guard head.drop(while: { $0.isWhitespace }).hasPrefix("CREATE") else { return false }
        return head.range(
            of: #"^\s*CREATE\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*\S+\s+)?TRIGGER\s"#, options: .regularExpression)
            != nil
    }

    /// Whether `query` changes rows (statement-format DML): INSERT, UPDATE, DELETE, REPLACE, LOAD DATA.
    static func isDML(_ query: [UInt8]) -> Bool {
        var index = 0
        while index < query.count,
            query[index] == 0x20 || query[index] == 0x0A || query[index] == 0x09
                || query[index] == 0x0D || query[index] == 0x28
        {
            index += 1
        }
        var word: [UInt8] = []
        while index < query.count, word.count < 8, (query[index] | 0x20) >= 0x61, (query[index] | 0x20) <= 0x7A {
            word.append(query[index] | 0x20)
            index += 1
        }
        return ["insert", "update", "delete", "replace", "load"].contains(String(decoding: word, as: UTF8.self))
    }
}
