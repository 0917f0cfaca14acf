import BinlogFormat

extension SQLLiteral {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `0x…` (or `X''` for no bytes): a binary string, copied byte for byte into any column it is assigned to.
    static func appendHex(_ bytes: [UInt8], to output: inout [UInt8]) {
        guard !bytes.isEmpty else {
            output.append(contentsOf: "X''".utf8)
            return
        }
        output.reserveCapacity(output.count + 2 + bytes.count * 2)
        output.append(UInt8(ascii: "0"))
        output.append(UInt8(ascii: "x"))
        for byte in bytes {
            output.append(Self.hexDigits[Int(byte >> 4)])
            output.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// A text or binary string in its column's character set.
    ///
    /// UTF-8 text that needs no escaping is quoted as it is (`'` doubled); any other text is hex with an
    /// introducer (`_latin1 0xE9`); binary strings are hex, and BINARY(n) is padded with 0x00 to n bytes
    /// (row images drop the padding, the stored value has it). An unknown collation gives bare hex, which a
    /// column takes byte for byte whatever its character set.
    static func appendString(_ bytes: [UInt8], collation: UInt32?, column: ColumnDescriptor, to output: inout [UInt8]) {
        guard let collation, let charset = MySQLCharset.name(forCollation: collation) else {
            Self.appendHex(bytes, to: &output)
            return
        }
        if charset == "binary" {
            let isFixedBinary = column.type == .string && column.realType == .string
            let width = column.realMaxLength
            if isFixedBinary, bytes.count < width {
                Self.appendHex(bytes + repeatElement(UInt8(0), count: width - bytes.count), to: &output)
            } else {
                Self.appendHex(bytes, to: &output)
            }
            return
        }
        if MySQLCharset.isUTF8(collation: collation), Self.isPlainText(bytes) {
            output.append(UInt8(ascii: "'"))
            for byte in bytes {
                if byte == UInt8(ascii: "'") { output.append(byte) }
                output.append(byte)
            }
            output.append(UInt8(ascii: "'"))
            return
        }
        output.append(UInt8(ascii: "_"))
        output.append(contentsOf: charset.utf8)
        if bytes.isEmpty {
            output.append(contentsOf: "''".utf8)
        } else {
            output.append(UInt8(ascii: " "))
            Self.appendHex(bytes, to: &output)
        }
    }

    /// Valid UTF-8 with no backslash and no control byte but tab and newline: safe inside `'…'` whatever
    /// the `sql_mode` and the tool that carries the script.
    static func isPlainText(_ bytes: [UInt8]) -> Bool {
        var isASCII = true
        for byte in bytes {
            if byte >= 0x80 {
                isASCII = false
            } else if byte < 0x20 || byte == UInt8(ascii: "\\") || byte == 0x7F {
                if byte != 0x09 && byte != 0x0A { return false }
            }
        }
        return isASCII || String(validating: bytes, as: UTF8.self) != nil
    }

    /// `b'…'` with exactly `bitCount` digits, from big-endian bytes.
    static func appendBits(_ bytes: [UInt8], bitCount: Int, to output: inout [UInt8]) {
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

    /// A DOUBLE literal (with an exponent, so the server reads it as a double, not as a DECIMAL): Swift's
    /// shortest text that reads back as the same double.
    static func appendDouble(_ value: Double, column: ColumnDescriptor, to output: inout [UInt8]) throws {
        guard value.isFinite else {
            throw SQLRenderingError(
                code: .notRepresentable, reason: "\(column.type) value is not finite, which no server stores",
                column: column.name)
        }
        let text = value.description.utf8
        output.append(contentsOf: text)
        if !text.contains(UInt8(ascii: "e")) {
            output.append(UInt8(ascii: "e"))
            output.append(UInt8(ascii: "0"))
        }
    }
}
