#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fast ASCII formatting into a byte array, for the value printers (no Foundation, no per-value `String`).
enum TextBytes {
    private static let digitPairs: [UInt8] = Array(
        ("00010203040506070809101112131415161718192021222324252627282930313233343536373839"
            + "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
            + "8081828384858687888990919293949596979899").utf8
    )

    /// Appends `value` in decimal, zero-padded on the left to at least `width` digits.
    @inline(__always)
    static func appendUnsigned(_ value: UInt64, width: Int = 0, to output: inout [UInt8]) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
        let count = withUnsafeMutableBytes(of: &scratch) { buffer -> Int in
            var position = buffer.count
            var rest = value
            while rest >= 100 {
                let pair = Int(rest % 100) * 2
                rest /= 100
                position -= 2
                buffer[position] = Self.digitPairs[pair]
                buffer[position + 1] = Self.digitPairs[pair + 1]
            }
            if rest >= 10 {
                let pair = Int(rest) * 2
                position -= 2
                buffer[position] = Self.digitPairs[pair]
                buffer[position + 1] = Self.digitPairs[pair + 1]
            } else {
                position -= 1
                buffer[position] = UInt8(truncatingIfNeeded: rest) &+ 0x30
            }
            return buffer.count - position
        }
        if count < width { output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count)) }
        withUnsafeBytes(of: &scratch) { buffer in
            output.append(contentsOf: buffer[(buffer.count - count)...])
        }
    }

    /// Appends `value` in decimal with a leading `-` when negative.
    @inline(__always)
    static func appendSigned(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        Self.appendUnsigned(value.magnitude, to: &output)
    }

    /// Appends `value` formatted by C's `printf` with `format` (one `double` conversion, e.g. `%-20g`).
    static func appendPrintf(_ format: String, _ value: Double, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            guard let base = buffer.baseAddress else { return }
            let length = withVaList([value]) { arguments in
                vsnprintf(base, buffer.count, format, arguments)
            }
            guard length > 0 else { return }
            let written = min(Int(length), buffer.count - 1)
            UnsafeRawBufferPointer(start: base, count: written).withMemoryRebound(to: UInt8.self) {
                output.append(contentsOf: $0)
            }
        }
    }

    private static let base64Alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    /// Appends standard base64 (with `=` padding).
    static func appendBase64<Bytes: Collection<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(Self.base64Alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(Self.base64Alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : Self.base64Alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : Self.base64Alphabet[Int(chunk & 0x3F)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`.
    /// The bytes must be valid UTF-8.
    static func appendJSONString<Bytes: Sequence<UInt8>>(_ utf8: Bytes, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(Self.hexDigits[Int(byte >> 4)])
                output.append(Self.hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `\xNN` (lowercase hex), as mariadb-binlog escapes control bytes.
    @inline(__always)
    static func appendHexEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "x"))
        output.append(Self.hexDigits[Int(byte >> 4)])
        output.append(Self.hexDigits[Int(byte & 0x0F)])
    }

    /// Appends a double the way MySQL prints JSON numbers: the shortest digits that round-trip, fixed
    /// notation for 1e-5 < |x| < 1e15 (with `.0` when integral), else `d.ddde±x` without a `+` sign.
    static func appendJSONDouble(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            // Not representable in JSON; MySQL never stores these.
            output.append(contentsOf: Array("null".utf8))
            return
        }
        if value == 0 {
            output.append(contentsOf: Array((value.sign == .minus ? "-0.0" : "0.0").utf8))
            return
        }
        // Swift's description is the shortest round-trip form; take its digits and exponent.
        let text = Array(value.magnitude.description.utf8)
        var digits: [UInt8] = []
        var exponent = 0
        var pointSeen = false
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var sign = 1
                index += 1
                if index < text.count, text[index] == UInt8(ascii: "-") {
                    sign = -1
                    index += 1
                } else if index < text.count, text[index] == UInt8(ascii: "+") {
                    index += 1
                }
                var parsed = 0
                while index < text.count {
                    parsed = parsed * 10 + Int(text[index] &- 0x30)
                    index += 1
                }
                exponent += sign * parsed
                break
            }
            if byte == UInt8(ascii: ".") {
                pointSeen = true
            } else {
                digits.append(byte)
                if pointSeen { exponent -= 1 }
            }
            index += 1
        }
        // value = digits × 10^exponent; normalize away leading and trailing zeros.
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 { digits.removeFirst() }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeLast()
            exponent += 1
        }
        let decimalPoint = digits.count + exponent  // position of the point relative to the digits
        if value.sign == .minus { output.append(UInt8(ascii: "-")) }
        if decimalPoint > -4 && decimalPoint <= 15 {
            if decimalPoint <= 0 {
                output.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -decimalPoint))
                output.append(contentsOf: digits)
            } else if decimalPoint >= digits.count {
                output.append(contentsOf: digits)
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimalPoint - digits.count))
                output.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
            } else {
                output.append(contentsOf: digits[..<decimalPoint])
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[decimalPoint...])
            }
        } else {
            output.append(digits[0])
            if digits.count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.append(UInt8(ascii: "e"))
            Self.appendSigned(Int64(decimalPoint - 1), to: &output)
        }
    }
}
