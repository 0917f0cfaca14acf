import BinlogText

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
    private var buffer: [UInt8] = []

    package init(kinds: [SQLValueKind]) {
        self.kinds = kinds
        self.buffer.reserveCapacity(4096)
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
        row.storage.withUnsafeBytes { all in
            for (index, range) in row.ranges.enumerated() {
                self.append(range.map { UnsafeRawBufferPointer(rebasing: all[$0]) }, at: index)
            }
        }
        return self.finish()
    }

    /// Starts a row whose values follow one by one with ``append(_:at:)``, in column order; ``finish()`` gives its
    /// hash. The same bytes as ``hash(_:)-([UnsafeRawBufferPointer?])`` without collecting the values first.
    package mutating func begin() {
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Adds the value of column `index` (text-protocol bytes, `nil` for NULL) to the row begun with ``begin()``.
    package mutating func append(_ value: UnsafeRawBufferPointer?, at index: Int) {
        guard let value else {
            self.buffer.append(0)
            return
        }
        self.buffer.append(1)
        let lengthAt = self.buffer.count
        self.buffer.append(0)
        self.buffer.append(0)
        self.buffer.append(0)
        self.buffer.append(0)
        Self.appendCanonical(value, kind: index < self.kinds.count ? self.kinds[index] : .binary, to: &self.buffer)
        let length = UInt32(truncatingIfNeeded: self.buffer.count - lengthAt - 4)
        self.buffer.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: length.littleEndian, toByteOffset: lengthAt, as: UInt32.self)
        }
    }

    /// The hash of the row begun with ``begin()``.
    package func finish() -> UInt64 {
        XXHash64.hash(self.buffer)
    }

    static func appendCanonical(_ value: UnsafeRawBufferPointer, kind: SQLValueKind, to output: inout [UInt8]) {
        switch kind {
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
                output.append(contentsOf: value)
                return
            }
            if negative, !(digits.count == 1 && digits[0] == 0x30) { output.append(0x2D) }
            output.append(contentsOf: digits)
        case .float, .double:
            guard let double = Self.parseDouble(value) else {
                output.append(contentsOf: value)
                return
            }
            let bits = kind == .float ? Double(Float(double)).bitPattern : double.bitPattern
            Self.appendLittleEndian(bits, to: &output)
        case .bit:
            var bits: UInt64 = 0
            for byte in value { bits = bits << 8 | UInt64(byte) }
            Self.appendLittleEndian(bits, to: &output)
        default:
            output.append(contentsOf: value)
        }
    }

    /// The value of a number's text (`Double(String)`'s reading), without making a `String` of the usual short
    /// forms: those go through `strtod` from a stack buffer, and count only when it reads every byte.
    static func parseDouble(_ value: UnsafeRawBufferPointer) -> Double? {
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

    /// Digits, `+`, `-`, `.`, `e` and `E`: the bytes of a number as a server sends it.
    private static func isDecimalTextByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte | 0x20 == 0x65
    }

    private static func appendLittleEndian(_ value: UInt64, to output: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { output.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
