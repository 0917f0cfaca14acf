/// Masks passwords in statement text that the timeline shows: servers log `CREATE USER … IDENTIFIED BY '…'`,
/// `SET PASSWORD … = PASSWORD('…')` and `CHANGE MASTER … MASTER_PASSWORD = '…'` in clear, and timeline output is
/// what people paste into tickets.
///
/// The statement is read as SQL tokens (quoted strings and identifiers are never searched for keywords): a string
/// literal becomes `'***'` when it follows `BY`, `AS`, `=`, `(`, `PASSWORD` or `USING` within a few tokens of a word that is or ends in
/// `IDENTIFIED` or `PASSWORD`. Masking a literal that held no secret costs nothing; missing one would leak it.
enum StatementSecrets {
    /// How many bytes after such a word its value may start (`IDENTIFIED WITH caching_sha2_password BY '…'`).
    static let reach = 64

    static func mask(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard let masked = Self.mask(bytes) else { return text }
        return String(decoding: masked, as: UTF8.self)
    }

    /// The masked bytes, or `nil` when nothing was masked.
    static func mask(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var copied = 0
        var armedUntil = -1
        var previous: [UInt8] = []  // the last token before this one: a word (upper case) or a punctuation byte
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
                let end = Self.literalEnd(bytes, from: index)
                let follows = ["BY", "AS", "=", "(", "PASSWORD", "USING"].contains { Array($0.utf8) == previous }
                if byte != UInt8(ascii: "`"), index <= armedUntil, follows {
                    output += bytes[copied...index]
                    output += Array("***".utf8)
                    copied = min(end, bytes.count)  // from the closing quote on (none when unterminated)
                    armedUntil = -1  // one value per keyword
                }
                previous = [byte]
                index = end + 1
                continue
            }
            if Self.isWordByte(byte) {
                var end = index
                while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
                let word = bytes[index..<end].map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
                if word.ends(with: "IDENTIFIED") || word.ends(with: "PASSWORD") { armedUntil = end + Self.reach }
                previous = word
                index = end
                continue
            }
            if byte > 0x20 { previous = [byte] }
            index += 1
        }
        guard copied > 0 else { return nil }
        output += bytes[copied...]
        return output
    }

    /// The offset of the quote that closes the literal opened at `start` (`bytes.count` when none does); a
    /// backslash escapes the next byte, and a doubled quote stands for one.
    private static func literalEnd(_ bytes: [UInt8], from start: Int) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), quote != UInt8(ascii: "`") {
                index += 2
            } else if bytes[index] == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                } else {
                    return index
                }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: String) -> Bool {
        let tail = Array(suffix.utf8)
        return self.count >= tail.count && Array(self[(self.count - tail.count)...]) == tail
    }
}
