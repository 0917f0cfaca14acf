import BinlogFormat

extension SQLLiteral {
    /// The digits of every hex literal this module writes (upper case, as mysqldump writes them).
    static let hexDigits: StaticString = "0123456789ABCDEF"

    /// `0x…` (or `X''` for no bytes): a binary string, copied byte for byte into any column it is assigned to.
    static func appendHex(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        guard !bytes.isEmpty else {
            output.append(contentsOf: "X''".utf8)
            return
        }
        let digits = Self.hexDigits.utf8Start
        output.append(UInt8(ascii: "0"))
        output.append(UInt8(ascii: "x"))
        // Through a stack buffer: one append per 256 bytes, not two per byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { chunk in
            var start = 0
            while start < bytes.count {
                let end = min(start + 256, bytes.count)
                var written = 0
                for index in start..<end {
                    let byte = bytes[index]
                    chunk[written] = digits[Int(byte >> 4)]
                    chunk[written + 1] = digits[Int(byte & 0x0F)]
                    written += 2
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<written]))
                start = end
            }
        }
    }

    static func appendHex(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBytes { Self.appendHex($0, to: &output) }
    }

    /// A text or binary string in its column's character set.
    ///
    /// UTF-8 text that needs no escaping is quoted as it is (`'` doubled); any other text is hex with an
    /// introducer (`_latin1 0xE9`); binary strings are hex, and BINARY(n) is padded with 0x00 to n bytes
    /// (row images drop the padding, the stored value has it). An unknown collation gives bare hex, which a
    /// column takes byte for byte whatever its character set.
    static func appendString(
        _ bytes: UnsafeRawBufferPointer,
        style: SQLLiteralPlan.StringStyle,
        to output: inout [UInt8]
    ) {
        switch style {
        case .hex:
            Self.appendHex(bytes, to: &output)
        case .fixedBinary(let width):
            if bytes.count < width {
                Self.appendHex(Array(bytes) + repeatElement(UInt8(0), count: width - bytes.count), to: &output)
            } else {
                Self.appendHex(bytes, to: &output)
            }
        case .utf8(let collation):
            guard let quotes = Self.plainTextQuotes(bytes) else {
                Self.appendIntroduced(bytes, collation: collation, to: &output)
                return
            }
            output.append(UInt8(ascii: "'"))
            if quotes == 0 {
                output.append(contentsOf: bytes)
            } else {
                for byte in bytes {
                    if byte == UInt8(ascii: "'") { output.append(byte) }
                    output.append(byte)
                }
            }
            output.append(UInt8(ascii: "'"))
        case .introduced(let collation):
            Self.appendIntroduced(bytes, collation: collation, to: &output)
        }
    }

    /// `_charset 0x…` (`_charset''` for no bytes).
    private static func appendIntroduced(_ bytes: UnsafeRawBufferPointer, collation: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "_"))
        output.append(contentsOf: (MySQLCharset.name(forCollation: collation) ?? "binary").utf8)
        if bytes.isEmpty {
            output.append(contentsOf: "''".utf8)
        } else {
            output.append(UInt8(ascii: " "))
            Self.appendHex(bytes, to: &output)
        }
    }

    static func appendString(_ bytes: [UInt8], collation: UInt32?, column: ColumnDescriptor, to output: inout [UInt8]) {
        let style = SQLLiteralPlan.StringStyle(collation: collation, column: column)
        bytes.withUnsafeBytes { Self.appendString($0, style: style, to: &output) }
    }

    /// Valid UTF-8 with no backslash and no control byte but tab and newline: safe inside `'…'` whatever
    /// the `sql_mode` and the tool that carries the script.
    static func isPlainText(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Self.plainTextQuotes($0) != nil }
    }

    /// The number of `'` in `bytes` when they are plain text (see ``isPlainText(_:)``), else `nil`.
    static func plainTextQuotes(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        var quotes = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while they are printable ASCII other than a backslash, `'` and DEL.
            if index &+ 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if Self.isPlainASCIIWord(word) {
                    index &+= 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == UInt8(ascii: "\\") || byte == 0x7F {
                    if byte != 0x09 && byte != 0x0A { return nil }
                } else if byte == UInt8(ascii: "'") {
                    quotes &+= 1
                }
                index &+= 1
                continue
            }
            guard let length = Self.utf8SequenceLength(bytes, at: index) else { return nil }
            index &+= length
        }
        return quotes
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether the eight bytes of `word` are all in 0x20...0x7E and none is a backslash or `'`.
    @inline(__always)
    private static func isPlainASCIIWord(_ word: UInt64) -> Bool {
        // A byte below 0x20 (or 0x80 and up) shows in word - 0x20…; a byte equal to c shows as a zero byte of
        // word ^ c…; DEL (0x7F) plus 1 reaches 0x80.
        let below = (word &- Self.ones &* 0x20) & ~word
        let backslash = word ^ (Self.ones &* 0x5C)
        let quote = word ^ (Self.ones &* 0x27)
        let hasBackslash = (backslash &- Self.ones) & ~backslash
        let hasQuote = (quote &- Self.ones) & ~quote
        let delete = (word &+ Self.ones) & ~word
        return (word | below | hasBackslash | hasQuote | delete) & Self.highs == 0
    }

    /// The length of the well-formed UTF-8 sequence that starts with the non-ASCII byte at `index` (Unicode's
    /// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or `nil`.
    @inline(__always)
    private static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// `b'…'` with exactly `bitCount` digits, from big-endian bytes.
    static func appendBits(_ bytes: UnsafeRawBufferPointer, bitCount: Int, to output: inout [UInt8]) {
        output.append(contentsOf: "b'".utf8)
        let total = bytes.count * 8
        guard total > 0 else {
            output.append(contentsOf: "0'".utf8)
            return
        }
        let count = max(1, min(bitCount, total))
        for position in (total - count)..<total {
            let byte = bytes[position / 8]
            let bit = (byte >> UInt8(7 - position % 8)) & 1
            output.append(bit == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        }
        output.append(UInt8(ascii: "'"))
    }

    static func appendBits(_ bytes: [UInt8], bitCount: Int, to output: inout [UInt8]) {
        bytes.withUnsafeBytes { Self.appendBits($0, bitCount: bitCount, to: &output) }
    }

    /// A DOUBLE literal (with an exponent, so the server reads it as a double, not as a DECIMAL): Swift's
    /// shortest text that reads back as the same double.
    static func appendDouble(
        _ value: Double,
        type: ColumnType,
        name: @autoclosure () -> String? = nil,
        to output: inout [UInt8]
    ) throws {
        guard value.isFinite else {
            throw SQLRenderingError(
                code: .notRepresentable,
                reason: "\(type) value is not finite, which no server stores",
                column: name()
            )
        }
        var text = value.description
        text.withUTF8 { utf8 in
            output.append(contentsOf: utf8)
            if !utf8.contains(UInt8(ascii: "e")) {
                output.append(UInt8(ascii: "e"))
                output.append(UInt8(ascii: "0"))
            }
        }
    }
}
