/// Reads back the literals that ``TextValueLiteral`` writes: the tuples of a multi-row `INSERT … VALUES (…),(…)`.
///
/// It accepts `NULL`, numbers, `'…'` with backslash escapes, `_charset'…'`, `_charset X'…'`, `X'…'` and `b'…'`,
/// and gives each value's bytes as the text protocol would send them, so a hash computed over the server's rows and
/// one computed over a file agree. Anything else is an error with its byte offset.
package struct TextValueLiteralParser {
    /// What went wrong and where (byte offset in the statement).
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var offset: Int
        package var reason: String
        package var description: String { "at byte \(self.offset) of the statement: \(self.reason)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Calls `onRow` for each tuple after `VALUES` in `statement`.
    ///
    /// - Parameters:
    ///   - statement: One `INSERT … VALUES …` statement without its delimiter.
    ///   - columnCount: How many values each tuple must have.
    ///   - onRow: Gets each row's values (the buffer is reused: copy what you keep).
    /// - Returns: The number of rows.
    /// - Throws: ``Failure`` for a statement that is not such an INSERT, or what `onRow` throws.
    @discardableResult
    package static func forEachRow(
        in statement: UnsafeRawBufferPointer,
        columnCount: Int,
        _ onRow: (SQLRowValues) throws -> Void
    ) throws -> Int {
        var parser = TextValueLiteralParser(bytes: statement)
        guard let valuesKeyword = parser.findValuesKeyword() else {
            throw Failure(offset: 0, reason: "not an INSERT … VALUES statement")
        }
        parser.index = valuesKeyword
        var row = SQLRowValues()
        var count = 0
        while true {
            parser.skipSpace()
            try parser.expect(0x28)  // (
            row.begin(in: statement)
            while true {
                parser.skipSpace()
                try parser.readLiteral(into: &row)
                parser.skipSpace()
                if parser.peek() == 0x2C {  // ,
                    parser.index += 1
                    continue
                }
                try parser.expect(0x29)  // )
                break
            }
            guard row.count == columnCount else {
                throw Failure(offset: parser.index, reason: "a row has \(row.count) values, the table \(columnCount)")
            }
            try onRow(row)
            count += 1
            parser.skipSpace()
            if parser.peek() == 0x2C {
                parser.index += 1
                continue
            }
            guard parser.index == parser.bytes.count else {
                throw Failure(offset: parser.index, reason: "unexpected text after the last row")
            }
            return count
        }
    }

    /// The offset just after the first ` VALUES` outside quotes.
    private func findValuesKeyword() -> Int? {
        var i = 0
        var quote: UInt8 = 0
        let upper: [UInt8] = Array("VALUES".utf8)
        while i < self.bytes.count {
            let byte = self.bytes[i]
            if quote != 0 {
                if byte == 0x5C, quote == 0x27 {
                    i += 2
                    continue
                }
                if byte == quote { quote = 0 }
            } else if byte == 0x27 || byte == 0x60 || byte == 0x22 {
                quote = byte
            } else if byte & 0xDF == 0x56, i + 6 <= self.bytes.count {  // V/v
                var match = true
                for k in 0..<6 where self.bytes[i + k] & 0xDF != upper[k] {
                    match = false
                    break
                }
                if match { return i + 6 }
            }
            i += 1
        }
        return nil
    }

    private func peek() -> UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    private mutating func skipSpace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard self.peek() == byte else {
            throw Failure(offset: self.index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        self.index += 1
    }

    private mutating func readLiteral(into row: inout SQLRowValues) throws {
        guard let first = self.peek() else { throw Failure(offset: self.index, reason: "the statement ends early") }
        switch first {
        case 0x4E, 0x6E:  // NULL
            guard self.index + 4 <= self.bytes.count,
                self.bytes[self.index + 1] & 0xDF == 0x55, self.bytes[self.index + 2] & 0xDF == 0x4C,
                self.bytes[self.index + 3] & 0xDF == 0x4C
            else { throw Failure(offset: self.index, reason: "expected NULL") }
            self.index += 4
            row.appendNull()
        case 0x27:
            try self.readQuoted(into: &row)
        case 0x5F:  // _charset
            self.index += 1
            while let byte = self.peek(),
                byte == 0x5F || (0x30...0x39).contains(byte)
                    || (byte | 0x20) >= 0x61
                        && (byte | 0x20) <= 0x7A
            {
                self.index += 1
            }
            self.skipSpace()
            if let byte = self.peek(), byte & 0xDF == 0x58 {
                try self.readHex(into: &row)
            } else {
                try self.readQuoted(into: &row)
            }
        case 0x58, 0x78:
            try self.readHex(into: &row)
        case 0x62, 0x42:
            try self.readBits(into: &row)
        default:
            let start = self.index
            while let byte = self.peek(), TextValueLiteral.isNumberByte(byte) { self.index += 1 }
            guard self.index > start else { throw Failure(offset: start, reason: "not a literal") }
            row.appendInStatement(start..<self.index)
        }
    }

    private mutating func readQuoted(into row: inout SQLRowValues) throws {
        let open = self.index
        try self.expect(0x27)
        // Most strings have no escapes: their bytes stay where they are.
        let plainEnd = self.bytes.firstQuoteOrBackslash(from: self.index)
        if plainEnd < self.bytes.count, self.bytes[plainEnd] == 0x27,
            plainEnd + 1 == self.bytes.count || self.bytes[plainEnd + 1] != 0x27
        {
            row.appendInStatement(self.index..<plainEnd)
            self.index = plainEnd + 1
            return
        }
        let start = row.beginValue()
        while true {
            // Runs without quotes or backslashes (most of a string) are copied at once.
            let end = self.bytes.firstQuoteOrBackslash(from: self.index)
            if end > self.index {
                row.appendBytes(UnsafeRawBufferPointer(rebasing: self.bytes[self.index..<end]))
                self.index = end
            }
            guard let byte = self.peek() else { throw Failure(offset: open, reason: "a string is not closed") }
            self.index += 1
            if byte == 0x27 {
                if self.peek() == 0x27 {  // '' inside a string
                    self.index += 1
                    row.appendByte(0x27)
                    continue
                }
                break
            }
            if byte == 0x5C {
                guard let escaped = self.peek() else { throw Failure(offset: open, reason: "a string is not closed") }
                self.index += 1
                switch escaped {
                case 0x30: row.appendByte(0x00)
                case 0x6E: row.appendByte(0x0A)
                case 0x72: row.appendByte(0x0D)
                case 0x5A: row.appendByte(0x1A)
                case 0x74: row.appendByte(0x09)
                case 0x62: row.appendByte(0x08)
                default: row.appendByte(escaped)
                }
                continue
            }
            row.appendByte(byte)
        }
        row.endValue(start: start)
    }

    private mutating func readHex(into row: inout SQLRowValues) throws {
        let open = self.index
        self.index += 1
        try self.expect(0x27)
        let start = row.beginValue()
        while true {
            guard let high = self.peek() else { throw Failure(offset: open, reason: "a hex literal is not closed") }
            self.index += 1
            if high == 0x27 { break }
            guard let low = self.peek(), let h = Self.hexValue(high), let l = Self.hexValue(low) else {
                throw Failure(offset: self.index - 1, reason: "not a hex digit pair")
            }
            self.index += 1
            row.appendByte(h << 4 | l)
        }
        row.endValue(start: start)
    }

    private mutating func readBits(into row: inout SQLRowValues) throws {
        let open = self.index
        self.index += 1
        try self.expect(0x27)
        var bits: [UInt8] = []
        while true {
            guard let byte = self.peek() else { throw Failure(offset: open, reason: "a bit literal is not closed") }
            self.index += 1
            if byte == 0x27 { break }
            guard byte == 0x30 || byte == 0x31 else { throw Failure(offset: self.index - 1, reason: "not a bit") }
            bits.append(byte & 1)
        }
        let padded = Array(repeating: UInt8(0), count: (8 - bits.count % 8) % 8) + bits
        var bytes: [UInt8] = []
        for start in stride(from: 0, to: padded.count, by: 8) {
            bytes.append(padded[start..<start + 8].reduce(0) { $0 << 1 | $1 })
        }
        row.append(contentsOf: bytes)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }
}
