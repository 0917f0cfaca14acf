#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fast ASCII formatting into a byte array, for the value printers (no Foundation, no per-value `String`).
enum TextBytes {
    /// "00" … "99" in constant memory (a `StaticString` needs no lazy initialization, unlike a `static let` array).
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Appends `value` in decimal, zero-padded on the left to at least `width` digits.
    @inline(__always)
    static func appendUnsigned<Output: ByteOutput & ~Copyable>(_ value: UInt64, width: Int = 0, to output: inout Output)
    {
        if value < 100 && width <= 2 {
            if value >= 10 || width == 2 {
                Self.appendTwoDigits(UInt32(truncatingIfNeeded: value), to: &output)
            } else {
                output.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            }
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
        let pairs = Self.digitPairs.utf8Start
        let count = withUnsafeMutableBytes(of: &scratch) { buffer -> Int in
            var position = buffer.count
            var rest = value
            while rest >= 100 {
                let pair = Int(rest % 100) &* 2
                rest /= 100
                position -= 2
                buffer[position] = pairs[pair]
                buffer[position + 1] = pairs[pair + 1]
            }
            if rest >= 10 {
                let pair = Int(rest) &* 2
                position -= 2
                buffer[position] = pairs[pair]
                buffer[position + 1] = pairs[pair + 1]
            } else {
                position -= 1
                buffer[position] = UInt8(truncatingIfNeeded: rest) &+ 0x30
            }
            return buffer.count - position
        }
        if count < width { output.appendRepeating(UInt8(ascii: "0"), count: width - count) }
        withUnsafeBytes(of: &scratch) { buffer in
            output.appendBytes(UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - count)...]))
        }
    }

    /// Appends `value` with at least two digits (`%02u`).
    @inline(__always)
    static func appendTwoDigits<Output: ByteOutput & ~Copyable>(_ value: UInt32, to output: inout Output) {
        guard value < 100 else {
            Self.appendUnsigned(UInt64(value), to: &output)
            return
        }
        let pair = Int(value) &* 2
        let pairs = Self.digitPairs.utf8Start
        output.append(pairs[pair])
        output.append(pairs[pair + 1])
    }

    /// Appends `value` in decimal with a leading `-` when negative.
    @inline(__always)
    static func appendSigned<Output: ByteOutput & ~Copyable>(_ value: Int64, to output: inout Output) {
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

    /// Appends standard base64 (with `=` padding).
    static func appendBase64(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBytes { Base64.append($0, to: &output) }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
    }

    /// Appends a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`.
    /// The bytes must be valid UTF-8.
    static func appendJSONString<Bytes: Sequence<UInt8>, Output: ByteOutput & ~Copyable>(
        _ utf8: Bytes, to output: inout Output
    ) {
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "\""), to: &output)
            case UInt8(ascii: "\\"): Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "\\"), to: &output)
            case 0x08: Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "b"), to: &output)
            case 0x0C: Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "f"), to: &output)
            case 0x0A: Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "n"), to: &output)
            case 0x0D: Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "r"), to: &output)
            case 0x09: Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "t"), to: &output)
            case 0..<0x20:
                Self.appendPair(UInt8(ascii: "\\"), UInt8(ascii: "u"), to: &output)
                Self.appendPair(UInt8(ascii: "0"), UInt8(ascii: "0"), to: &output)
                output.append(Self.hexDigit(byte >> 4))
                output.append(Self.hexDigit(byte & 0x0F))
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    static func appendPair<Output: ByteOutput & ~Copyable>(_ first: UInt8, _ second: UInt8, to output: inout Output) {
        output.append(first)
        output.append(second)
    }

    /// Appends `\xNN` (lowercase hex), as mariadb-binlog escapes control bytes.
    @inline(__always)
    static func appendHexEscape<Output: ByteOutput & ~Copyable>(_ byte: UInt8, to output: inout Output) {
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "x"))
        output.append(Self.hexDigit(byte >> 4))
        output.append(Self.hexDigit(byte & 0x0F))
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
                Self.appendPair(UInt8(ascii: "0"), UInt8(ascii: "."), to: &output)
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -decimalPoint))
                output.append(contentsOf: digits)
            } else if decimalPoint >= digits.count {
                output.append(contentsOf: digits)
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimalPoint - digits.count))
                Self.appendPair(UInt8(ascii: "."), UInt8(ascii: "0"), to: &output)
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
