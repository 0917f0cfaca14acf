import SQLRendering

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The 64-bit hash of one row: XXH64 (seed 0) of the row's canonical bytes.
///
/// Canonical bytes, column by column in the table's order (generated columns left out): a NULL is the byte `0x00`;
/// any other value is `0x01`, its canonical form's length as a 4-byte little-endian integer, and the form:
///
/// - integer: decimal digits without leading zeros or `+`, `-` before negatives (`-0` is `0`), so ZEROFILL does not
///   matter;
/// - float: the value as IEEE 754 single precision, widened to double, its 8 bytes little-endian;
/// - double: the IEEE 754 double's 8 bytes, little-endian;
/// - bit: the value as an unsigned 64-bit integer, 8 bytes little-endian;
/// - decimal, temporal (session `time_zone = '+00:00'`), json, binary and text: the bytes as the text protocol sends
///   them with `character_set_results = binary` (strings in the column's charset).
///
/// None of this depends on how a server stores rows, so MariaDB and MySQL hash equal rows alike (JSON excepted:
/// MySQL normalizes JSON text, MariaDB keeps it as written).
package struct RowHasher: Sendable {
    package let kinds: [SQLValueKind]
    /// Per column, how its values become canonical bytes (a plain enum: no copy of a kind's charset per value).
    private let forms: [Form]
    /// The row's canonical bytes so far: the first ``used`` bytes (the array only grows).
    private var buffer: [UInt8]
    private var used = 0

    private enum Form: Sendable {
        case bytes, integer, float, double, bit
    }

    package init(kinds: [SQLValueKind]) {
        self.kinds = kinds
        self.forms = kinds.map { kind in
            switch kind {
            case .integer: .integer
            case .float: .float
            case .double: .double
            case .bit: .bit
            default: .bytes
            }
        }
        self.buffer = [UInt8](repeating: 0, count: 4096)
    }

    /// The hash of one row's values (text-protocol bytes, `nil` for NULL), one per kind.
    package mutating func hash(_ values: [UnsafeRawBufferPointer?]) -> UInt64 {
        self.begin()
        for (index, value) in values.enumerated() { self.append(value, at: index) }
        return self.finish()
    }

    /// The hash of a row parsed from SQL literals.
    package mutating func hash(_ row: SQLRowValues) -> UInt64 {
        self.begin()
        row.forEachValue { index, value in self.append(value, at: index) }
        return self.finish()
    }

    /// Starts a row whose values follow one by one with ``append(_:at:)``, in column order; ``finish()`` gives its
    /// hash. The same bytes as ``hash(_:)-([UnsafeRawBufferPointer?])`` without collecting the values first.
    package mutating func begin() {
        self.used = 0
    }

    /// Adds the value of column `index` (text-protocol bytes, `nil` for NULL) to the row begun with ``begin()``.
    package mutating func append(_ value: UnsafeRawBufferPointer?, at index: Int) {
        // At most: the marker, the length and the longer of the value and 8 bytes (a canonical form is never longer).
        let needed = self.used + 5 + max(value?.count ?? 0, 8)
        if needed > self.buffer.count { self.buffer.append(contentsOf: repeatElement(0, count: needed)) }
        let form = index < self.forms.count ? self.forms[index] : .bytes
        let used = self.used
        self.used = self.buffer.withUnsafeMutableBytes { output in
            guard let value else {
                output[used] = 0
                return used + 1
            }
            output[used] = 1
            let length = Self.writeCanonical(value, form: form, to: output, at: used + 5)
            output.storeBytes(
                of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: used + 1, as: UInt32.self)
            return used + 5 + length
        }
    }

    /// The hash of the row begun with ``begin()``.
    package func finish() -> UInt64 {
        self.buffer.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<self.used])) }
    }

    /// Writes the canonical form of `value` at `offset` (room for the longer of the value and 8 bytes); returns its
    /// length.
    private static func writeCanonical(
        _ value: UnsafeRawBufferPointer,
        form: Form,
        to output: UnsafeMutableRawBufferPointer,
        at offset: Int
    ) -> Int {
        func copy(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
            UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + bytes.count]).copyMemory(from: bytes)
            return bytes.count
        }
        switch form {
        case .bytes:
            return copy(value, at: offset)
        case .integer:
            var index = 0
            var negative = false
            if index < value.count, value[index] == 0x2D || value[index] == 0x2B {
                negative = value[index] == 0x2D
                index += 1
            }
            while index < value.count - 1, value[index] == 0x30 { index += 1 }
            let digits = UnsafeRawBufferPointer(rebasing: value[index...])
            guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return copy(value, at: offset)
            }
            var at = offset
            if negative, !(digits.count == 1 && digits[0] == 0x30) {
                output[at] = 0x2D
                at += 1
            }
            return at - offset + copy(digits, at: at)
        case .float, .double:
            guard let double = Self.parseDouble(value) else { return copy(value, at: offset) }
            let bits = form == .float ? Double(Float(double)).bitPattern : double.bitPattern
            output.storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt64.self)
            return 8
        case .bit:
            var bits: UInt64 = 0
            for byte in value { bits = bits << 8 | UInt64(byte) }
            output.storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt64.self)
            return 8
        }
    }

    /// The value of a number's text (`Double(String)`'s reading), without making a `String` of the usual short
    /// forms: most are exact by ``exactDouble(_:)``, the others go through `strtod` from a stack buffer, and count
    /// only when it reads every byte.
    static func parseDouble(_ value: UnsafeRawBufferPointer) -> Double? {
        if let exact = Self.exactDouble(value) { return exact }
        let count = value.count
        guard count > 0, count < 48, value.allSatisfy(Self.isDecimalTextByte) else {
            return Double(String(decoding: value, as: UTF8.self))
        }
        let parsed: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { text in
            guard let base = text.baseAddress else { return nil }
            UnsafeMutableRawBufferPointer(text).copyMemory(from: value)
            text[count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let result = strtod(base, &end)
            return end == base + count ? result : nil
        }
        return parsed ?? Double(String(decoding: value, as: UTF8.self))
    }

    /// The value of `[-+]digits[.digits][e[-+]digits]` when its significant digits form an integer below 2^53
    /// and its decimal exponent is within ±22, else `nil`.
    ///
    /// Then both the integer and the power of ten are exact doubles, and one IEEE multiplication or division
    /// rounds their product or quotient correctly: the same value as `strtod` (Clinger's fast path), without it.
    static func exactDouble(_ value: UnsafeRawBufferPointer) -> Double? {
        let count = value.count
        var index = 0
        var negative = false
        if index < count, value[index] == 0x2D || value[index] == 0x2B {
            negative = value[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var seenDigit = false
        while index < count {
            let byte = value[index]
            if byte == 0x2E, !seenPoint {
                seenPoint = true
            } else if byte &- 0x30 < 10 {
                seenDigit = true
                if mantissa != 0 || byte != 0x30 { digits += 1 }
                guard digits <= 16 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte &- 0x30)
                if seenPoint { scale -= 1 }
            } else {
                break
            }
            index += 1
        }
        guard seenDigit else { return nil }
        if index < count {
            guard value[index] | 0x20 == 0x65, index + 1 < count else { return nil }  // e
            index += 1
            var exponentNegative = false
            if value[index] == 0x2D || value[index] == 0x2B {
                exponentNegative = value[index] == 0x2D
                index += 1
            }
            var exponent = 0
            guard index < count else { return nil }
            while index < count {
                let digit = value[index] &- 0x30
                guard digit < 10, exponent < 1000 else { return nil }
                exponent = exponent * 10 + Int(digit)
                index += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        guard mantissa <= 1 << 53, (-22...22).contains(scale) else { return nil }
        let magnitude =
            scale < 0 ? Double(mantissa) / Self.powersOfTen[-scale] : Double(mantissa) * Self.powersOfTen[scale]
        return negative ? -magnitude : magnitude
    }

    /// 10^0 … 10^22, each exact in a double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// Digits, `+`, `-`, `.`, `e` and `E`: the bytes of a number as a server sends it.
    private static func isDecimalTextByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte | 0x20 == 0x65
    }
}
