/// The tables a DDL statement names, read from its text conservatively: every identifier counts, so a
/// statement that might touch a table is taken to touch it (a refusal too many, never an undo too many).
struct DDLStatement: Sendable, Equatable {
    /// `CREATE`, `ALTER`, `DROP`, `RENAME` or `TRUNCATE`.
    var verb: String
    /// Whether it names a whole database (`DROP DATABASE`, `ALTER SCHEMA`…).
    var isDatabaseStatement: Bool
    /// Identifiers as `(database, name)`; `database` is `nil` when the name is not qualified.
    var names: [Name]

    struct Name: Sendable, Equatable {
        var database: String?
        var name: String
    }

    /// The statement's verb and names, or `nil` when it is not DDL.
    static func parse(_ text: [UInt8]) -> DDLStatement? {
        let tokens = Self.tokens(text)
        guard let first = tokens.first, case .word(let verbText) = first else { return nil }
        let verb = verbText.uppercased()
        guard ["CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"].contains(verb) else { return nil }
        var names: [Name] = []
        var isDatabase = false
        var index = 1
        while index < tokens.count {
            switch tokens[index] {
            case .word(let word), .quoted(let word):
                if case .word = tokens[index], ["DATABASE", "SCHEMA"].contains(word.uppercased()) { isDatabase = true }
                if index + 2 < tokens.count, tokens[index + 1] == .dot {
                    switch tokens[index + 2] {
                    case .word(let name), .quoted(let name):
                        names.append(Name(database: word, name: name))
                        index += 3
                        continue
                    default: break
                    }
                }
                names.append(Name(database: nil, name: word))
            default:
                break
            }
            index += 1
        }
        return DDLStatement(verb: verb, isDatabaseStatement: isDatabase, names: names)
    }

    /// Whether the statement may touch `database.table` (`defaultDatabase` qualifies bare names).
    func touches(database: String, table: String, defaultDatabase: String) -> Bool {
        let db = database.lowercased()
        let name = table.lowercased()
        for entry in self.names {
            if self.isDatabaseStatement && entry.database == nil && entry.name.lowercased() == db { return true }
            if (entry.database ?? defaultDatabase).lowercased() == db && entry.name.lowercased() == name { return true }
        }
        return false
    }

    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case dot
        case other
    }

    /// Words, backtick-quoted names and dots; comments, string literals and punctuation are passed over
    /// (the body of a versioned comment `/*!50100 … */` is read as code, as the server reads it).
    static func tokens(_ text: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x24 || byte >= 0x80
        }
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "/"), index + 1 < text.count, text[index + 1] == UInt8(ascii: "*") {
                var marker = 0
                if index + 2 < text.count, text[index + 2] == UInt8(ascii: "!") {
                    marker = 3
                } else if index + 3 < text.count, text[index + 2] == UInt8(ascii: "M"),
                    text[index + 3] == UInt8(ascii: "!")
                {
                    marker = 4
                }
                if marker > 0 {
                    index += marker
                    while index < text.count, text[index] >= 0x30, text[index] <= 0x39 { index += 1 }
                    continue
                }
                index += 2
                while index + 1 < text.count,
                    !(text[index] == UInt8(ascii: "*") && text[index + 1] == UInt8(ascii: "/"))
                {
                    index += 1
                }
                index += 2
            } else if byte == UInt8(ascii: "*"), index + 1 < text.count, text[index + 1] == UInt8(ascii: "/") {
                index += 2
            } else if byte == UInt8(ascii: "#")
                || (byte == UInt8(ascii: "-") && index + 1 < text.count && text[index + 1] == UInt8(ascii: "-"))
            {
                while index < text.count, text[index] != 0x0A { index += 1 }
            } else if byte == UInt8(ascii: "`") {
                var name: [UInt8] = []
                index += 1
                while index < text.count {
                    if text[index] == UInt8(ascii: "`") {
                        if index + 1 < text.count, text[index + 1] == UInt8(ascii: "`") {
                            name.append(text[index])
                            index += 2
                            continue
                        }
                        break
                    }
                    name.append(text[index])
                    index += 1
                }
                index += 1
                tokens.append(.quoted(String(decoding: name, as: UTF8.self)))
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                index += 1
                while index < text.count, text[index] != byte {
                    if text[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
                index += 1
                tokens.append(.other)
            } else if byte == UInt8(ascii: ".") {
                tokens.append(.dot)
                index += 1
            } else if isWordByte(byte) {
                let start = index
                while index < text.count, isWordByte(text[index]) { index += 1 }
                tokens.append(.word(String(decoding: text[start..<index], as: UTF8.self)))
            } else {
                if byte > 0x20 { tokens.append(.other) }
                index += 1
            }
        }
        return tokens
    }
}
