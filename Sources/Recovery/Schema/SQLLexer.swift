/// Splits SQL text (as the binlog holds it: bytes, usually UTF-8) into tokens, dropping comments.
///
/// Enough for the statements a timeline classifies (DDL and the first words of DML): strings, quoted
/// identifiers, `-- `/`#`/`/* */` comments, and MySQL's executable comments (`/*!50001 … */`,
/// `/*M!100100 … */`), whose contents are read as SQL, as the server does.
enum SQLLexer {
    /// The tokens of `text`; reading stops after `limit` tokens (the classifiers need only the first few of DML).
    static func tokens(_ text: [UInt8], limit: Int = Int.max) -> [SQLToken] {
        var tokens: [SQLToken] = []
        var index = 0
        let count = text.count
        var inExecutableComment = false
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x24 || byte >= 0x80
        }
        while index < count, tokens.count < limit {
            let byte = text[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                index += 1
            case UInt8(ascii: "#"):
                while index < count, text[index] != 0x0A { index += 1 }
            case UInt8(ascii: "-")
            where index + 1 < count && text[index + 1] == UInt8(ascii: "-")
                && (index + 2 >= count || text[index + 2] <= 0x20):
                while index < count, text[index] != 0x0A { index += 1 }
            case UInt8(ascii: "*")
            where inExecutableComment && index + 1 < count && text[index + 1] == UInt8(ascii: "/"):
                inExecutableComment = false
                index += 2
            case UInt8(ascii: "/") where index + 1 < count && text[index + 1] == UInt8(ascii: "*"):
                var cursor = index + 2
                if cursor < count, text[cursor] == UInt8(ascii: "M"), cursor + 1 < count,
                    text[cursor + 1] == UInt8(ascii: "!")
                {
                    cursor += 1
                }
                if cursor < count, text[cursor] == UInt8(ascii: "!") {
                    cursor += 1
                    while cursor < count, text[cursor] >= 0x30, text[cursor] <= 0x39 { cursor += 1 }
                    inExecutableComment = true
                    index = cursor
                } else {
                    while cursor + 1 < count,
                        !(text[cursor] == UInt8(ascii: "*") && text[cursor + 1] == UInt8(ascii: "/"))
                    {
                        cursor += 1
                    }
                    index = min(count, cursor + 2)
                }
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                let quote = byte
                var cursor = index + 1
                var content: [UInt8] = []
                while cursor < count {
                    let current = text[cursor]
                    if current == UInt8(ascii: "\\"), quote != UInt8(ascii: "`"), cursor + 1 < count {
                        content.append(current)
                        content.append(text[cursor + 1])
                        cursor += 2
                        continue
                    }
                    if current == quote {
                        if cursor + 1 < count, text[cursor + 1] == quote {
                            content.append(quote)
                            cursor += 2
                            continue
                        }
                        break
                    }
                    content.append(current)
                    cursor += 1
                }
                let kind: SQLToken.Kind = quote == UInt8(ascii: "`") ? .quotedIdentifier : .string
                tokens.append(SQLToken(kind: kind, text: String(decoding: content, as: UTF8.self)))
                index = min(count, cursor + 1)
            default:
                if isWordByte(byte) {
                    var cursor = index
                    while cursor < count, isWordByte(text[cursor]) { cursor += 1 }
                    let word = String(decoding: text[index..<cursor], as: UTF8.self)
                    let isNumber = byte >= 0x30 && byte <= 0x39 && word.allSatisfy { $0.isNumber }
                    tokens.append(SQLToken(kind: isNumber ? .number : .word, text: word))
                    index = cursor
                } else {
                    tokens.append(SQLToken(kind: .symbol, text: String(UnicodeScalar(byte))))
                    index += 1
                }
            }
        }
        return tokens
    }

    /// Splits `tokens` at commas outside parentheses.
    static func splitTopLevel(_ tokens: ArraySlice<SQLToken>) -> [ArraySlice<SQLToken>] {
        var parts: [ArraySlice<SQLToken>] = []
        var depth = 0
        var start = tokens.startIndex
        for index in tokens.indices {
            let token = tokens[index]
            if token.isSymbol("(") {
                depth += 1
            } else if token.isSymbol(")") {
                depth -= 1
            } else if token.isSymbol(","), depth == 0 {
                parts.append(tokens[start..<index])
                start = index + 1
            }
        }
        parts.append(tokens[start..<tokens.endIndex])
        return parts.filter { !$0.isEmpty }
    }
}
