/// Writes values as SQL literals that a MySQL or MariaDB session with `SET NAMES utf8mb4` and without
/// `NO_BACKSLASH_ESCAPES` reads back as exactly the same value.
///
/// The input is a value as the text protocol sends it with `character_set_results = binary`: digits for numbers,
/// the bytes in the column's charset for strings, big-endian bytes for BIT. ``TextValueLiteralParser`` reads the literals
/// back into those same bytes, so a hash over them (see `RowHasher`) is the same before writing and after reading.
///
/// | kind | literal |
/// |---|---|
/// | NULL | `NULL` |
/// | integer, decimal, float, double | the digits (`-12.50`, `1.2345677614212036`, `1e-300`) |
/// | bit | `b'0000010100'` (every bit of the bytes) |
/// | binary | `_binary'…'` with escapes |
/// | text in utf8/ascii, temporal, json | `'…'` with escapes |
/// | text in a single-byte charset | `_latin1'…'` with escapes |
/// | text in another multi-byte charset | `_sjis X'…'` |
///
/// Escapes: `\0` for NUL, `\'`, `\\`, `\n`, `\r`, `\Z` for 0x1A; every other byte as is.
///
/// Backups use this writer: their values come from the text protocol and are read back (``TextValueLiteralParser``)
/// to be hashed. Values decoded from binlog rows (flashback) go through ``SQLLiteral``, which writes hex for any
/// text that would need an escape, so its scripts mean the same under any `sql_mode`.
package enum TextValueLiteral {
    /// Appends the literal of one value.
    ///
    /// - Parameters:
    ///   - value: The text-protocol bytes, `nil` for NULL.
    ///   - kind: The column's kind.
    ///   - output: Where the literal goes.
    package static func append(_ value: UnsafeRawBufferPointer?, kind: SQLValueKind, to output: inout [UInt8]) {
        guard let value else {
            output.append(0x4E)  // NULL
            output.append(0x55)
            output.append(0x4C)
            output.append(0x4C)
            return
        }
        if kind.isNumeric, !value.isEmpty, value.allSatisfy(Self.isNumberByte) {
            output.append(contentsOf: value)
            return
        }
        if kind == .bit {
            output.append(contentsOf: [0x62, 0x27])  // b'
            if value.isEmpty { output.append(0x30) }
            for byte in value {
                for shift in stride(from: 7, through: 0, by: -1) { output.append(0x30 | (byte >> UInt8(shift)) & 1) }
            }
            output.append(0x27)
            return
        }
        switch kind.stringForm {
        case .quoted:
            self.appendQuoted(value, to: &output)
        case .introduced(let charset):
            output.append(0x5F)  // _
            output.append(contentsOf: charset.utf8)
            self.appendQuoted(value, to: &output)
        case .introducedHex(let charset):
            output.append(0x5F)
            output.append(contentsOf: charset.utf8)
            output.append(contentsOf: [0x20, 0x58, 0x27])  // " X'"
            for byte in value {
                output.append(SQLLiteral.hexDigits.utf8Start[Int(byte >> 4)])
                output.append(SQLLiteral.hexDigits.utf8Start[Int(byte & 0x0F)])
            }
            output.append(0x27)
        }
    }

    /// Appends `'…'` with the escapes above.
    package static func appendQuoted(_ value: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(0x27)
        // Runs of bytes that need no escape (most of a value) are copied at once.
        let count = value.count
        var start = 0
        var index = 0
        while index < count {
            let byte = value[index]
            guard byte <= 0x5C,
                byte == 0x00 || byte == 0x27 || byte == 0x5C || byte == 0x0A || byte == 0x0D
                    || byte == 0x1A
            else {
                index += 1
                continue
            }
            if index > start { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[start..<index])) }
            output.append(0x5C)
            switch byte {
            case 0x00: output.append(0x30)
            case 0x0A: output.append(0x6E)
            case 0x0D: output.append(0x72)
            case 0x1A: output.append(0x5A)
            default: output.append(byte)
            }
            index += 1
            start = index
        }
        if count > start { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[start..<count])) }
        output.append(0x27)
    }

    /// The literal of one value as text (tests, keys in WHERE clauses).
    package static func string(_ value: [UInt8]?, kind: SQLValueKind) -> String {
        var output: [UInt8] = []
        if let value {
            value.withUnsafeBytes { self.append($0, kind: kind, to: &output) }
        } else {
            self.append(nil, kind: kind, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `'text'` for statements the tool writes itself (names in `SHOW` statements, variables).
    package static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { self.appendQuoted($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x65 || byte == 0x45
    }

}
