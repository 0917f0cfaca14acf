import BinlogFormat
import Recovery
import SQLRendering

/// A statement from a Query event (DDL, or DML logged as a statement) as a restore runs it on the target: whether it
/// belongs to what is restored, the session it ran under, and its text with renamed databases.
enum RestoreStatement {
    /// The SQL to run for `query` on the target: the session it ran under, `USE` of its (renamed) database, and its
    /// text with renamed databases. `timestamp` is the event's time (for `DEFAULT CURRENT_TIMESTAMP`, `NOW()`).
    ///
    /// `database`: the database to `USE` (the event's, unless that one is not restored: ``DatabaseScope``).
    static func sql(
        _ query: QueryEvent, timestamp: UInt32, flags: UInt16, options: RestoreOptions, database: String? = nil
    ) -> [UInt8] {
        var settings = [
            "@@session.timestamp=\(timestamp)\(query.status.microseconds.map { ".\(Self.sixDigits($0))" } ?? "")"
        ]
        if let mode = query.status.sqlMode { settings.append("@@session.sql_mode=\(mode)") }
        if let charset = query.status.charset {
            settings.append("@@session.character_set_client=\(charset.client)")
            settings.append("@@session.collation_connection=\(charset.connection)")
            settings.append("@@session.collation_server=\(charset.server)")
        }
        if let zone = query.status.timeZone {
            settings.append("@@session.time_zone='\(zone.replacingOccurrences(of: "'", with: "''"))'")
        }
        if let flags = query.status.flags2 {
            settings.append("@@session.foreign_key_checks=\(flags & (1 << 26) != 0 ? 0 : 1)")
            settings.append("@@session.unique_checks=\(flags & (1 << 27) != 0 ? 0 : 1)")
            settings.append("@@session.sql_auto_is_null=\(flags & (1 << 14) != 0 ? 1 : 0)")
        }
        if let increment = query.status.autoIncrement {
            settings.append("@@session.auto_increment_increment=\(increment.increment)")
            settings.append("@@session.auto_increment_offset=\(increment.offset)")
        }
        var text = Array("SET \(settings.joined(separator: ", "));\n".utf8)
        // LOG_EVENT_SUPPRESS_USE_F (8): the server says not to `USE` the database (CREATE/DROP DATABASE name it).
        if !query.database.isEmpty, flags & 0x0008 == 0 {
            text += Array("USE \(Self.quoted(options.targetName(of: database ?? query.databaseName)));\n".utf8)
        }
        text += options.renames.isEmpty ? query.query : Self.renaming(query.query, options.renames)
        return text
    }

    static func sixDigits(_ value: UInt32) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// `` `name` ``, backquotes doubled.
    static func quoted(_ name: String) -> String { SQLIdentifier.quoted(name) }

    /// `text` with every database reference to a renamed database changed: identifiers followed by `.`
    /// (`old.t`, `` `old`.`t` ``), and the database named by `CREATE/DROP/ALTER DATABASE|SCHEMA`. String literals
    /// and comments are left alone (versioned comments `/*! … */` are SQL and are rewritten).
    static func renaming(_ text: [UInt8], _ renames: [String: String]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count + 16)
        let isDatabaseStatement = Self.isDatabaseStatement(text)
        var index = 0
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x24 || byte >= 0x80
        }
        func nextIsDot(_ from: Int) -> Bool {
            var position = from
            while position < text.count, text[position] == 0x20 || text[position] == 0x0A || text[position] == 0x09 {
                position += 1
            }
            return position < text.count && text[position] == 0x2E
        }
        func previousIsDot(_ before: Int) -> Bool {
            var position = before - 1
            while position >= 0, text[position] == 0x20 { position -= 1 }
            return position >= 0 && text[position] == 0x2E
        }
        while index < text.count {
            let byte = text[index]
            switch byte {
            case 0x27, 0x22:  // '…' or "…": copied as is
                let quote = byte
                output.append(byte)
                index += 1
                while index < text.count {
                    let current = text[index]
                    output.append(current)
                    index += 1
                    if current == 0x5C, index < text.count {
                        output.append(text[index])
                        index += 1
                    } else if current == quote {
                        if index < text.count, text[index] == quote {
                            output.append(quote)
                            index += 1
                        } else {
                            break
                        }
                    }
                }
            case 0x2F
            where index + 1 < text.count && text[index + 1] == 0x2A
                && !(index + 2 < text.count && text[index + 2] == 0x21):  // /* … */ but not /*! … */
                let end = Self.find([0x2A, 0x2F], in: text, from: index + 2).map { $0 + 2 } ?? text.count
                output += text[index..<end]
                index = end
            case 0x60:  // `identifier`
                var name: [UInt8] = []
                var position = index + 1
                while position < text.count {
                    if text[position] == 0x60 {
                        if position + 1 < text.count, text[position + 1] == 0x60 {
                            name.append(0x60)
                            position += 2
                            continue
                        }
                        break
                    }
                    name.append(text[position])
                    position += 1
                }
                let end = min(position + 1, text.count)
                let string = String(decoding: name, as: UTF8.self)
                if let renamed = renames[string], !previousIsDot(index), nextIsDot(end) || isDatabaseStatement {
                    output += Array(Self.quoted(renamed).utf8)
                } else {
                    output += text[index..<end]
                }
                index = end
            default:
                if isWord(byte), index == 0 || !isWord(text[index - 1]) {
                    var end = index
                    while end < text.count, isWord(text[end]) { end += 1 }
                    let string = String(decoding: text[index..<end], as: UTF8.self)
                    if let renamed = renames[string], !previousIsDot(index), nextIsDot(end) || isDatabaseStatement {
                        output += Array(Self.quoted(renamed).utf8)
                    } else {
                        output += text[index..<end]
                    }
                    index = end
                } else {
                    output.append(byte)
                    index += 1
                }
            }
        }
        return output
    }

    static func find(_ pattern: [UInt8], in text: [UInt8], from: Int) -> Int? {
        guard from <= text.count - pattern.count else { return nil }
        for position in from...(text.count - pattern.count)
        where text[position..<position + pattern.count].elementsEqual(pattern) {
            return position
        }
        return nil
    }

    /// `CREATE|DROP|ALTER DATABASE|SCHEMA …`.
    static func isDatabaseStatement(_ text: [UInt8]) -> Bool {
        let words = String(decoding: text.prefix(64), as: UTF8.self).uppercased()
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(2)
        guard words.count == 2, ["CREATE", "DROP", "ALTER"].contains(words.first!) else { return false }
        return words.last == "DATABASE" || words.last == "SCHEMA"
    }
}
