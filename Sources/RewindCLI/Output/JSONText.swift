import BinlogFormat

/// Minimal JSON text building for `--format json` lines (key order is the order written).
enum JSONText {
    /// `text` as a JSON string literal.
    static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { Self.quote(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Valid UTF-8 bytes as a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or
    /// `\u00XX`; everything else copied as it is (runs of plain bytes at once, not character by character).
    static func quote(utf8: UnsafeRawBufferPointer) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 2)
        Self.appendQuoted(utf8: utf8, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``quote(utf8:)`` of `utf8` to `output`.
    static func appendQuoted(utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(0x22)
        var start = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[start..<index]))
            start = index + 1
            switch byte {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            case 0x0A: output += [0x5C, 0x6E]
            case 0x0D: output += [0x5C, 0x72]
            case 0x09: output += [0x5C, 0x74]
            default:
                let hex: StaticString = "0123456789abcdef"
                output += [0x5C, 0x75, 0x30, 0x30, hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]]
            }
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[start...]))
        output.append(0x22)
    }

    /// Appends ``quote(_:)`` of `text` to `output`.
    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { Self.appendQuoted(utf8: UnsafeRawBufferPointer($0), to: &output) }
    }

    /// Bytes as a JSON string when they are UTF-8, else `{"base64": "…"}`.
    static func bytes(_ bytes: [UInt8]) -> String {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return "{\"base64\":\"" + Base64.encode(bytes) + "\"}"
        }
        return bytes.withUnsafeBytes { Self.quote(utf8: $0) }
    }

    /// An object from ordered key/value pairs whose values are already JSON text.
    static func object(_ pairs: [(String, String)]) -> String {
        String(decoding: Self.objectBytes(pairs), as: UTF8.self)
    }

    /// ``object(_:)`` as UTF-8 bytes (no string made of a line that goes straight to the output).
    static func objectBytes(_ pairs: [(String, String)]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(pairs.reduce(2) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        output.append(UInt8(ascii: "{"))
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.appendQuoted(key, to: &output)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: value.utf8)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}

extension String {
    func leftPaddedHex() -> String { self.count >= 2 ? self : String(repeating: "0", count: 2 - self.count) + self }
}
