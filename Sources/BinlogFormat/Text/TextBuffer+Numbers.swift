/// Numbers and literals straight into a ``TextBuffer`` for printers outside this module (event headers), with
/// the value printers' digit code specialized here.
extension TextBuffer {
    /// Appends `text` (a literal: no `String` is built).
    @inline(__always)
    package mutating func append(_ text: StaticString) {
        self.appendBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `value` in decimal, zero-padded on the left to at least `width` digits.
    package mutating func appendDecimal(_ value: UInt64, width: Int = 0) {
        TextBytes.appendUnsigned(value, width: width, to: &self)
    }

    /// Appends `value` in lower-case hexadecimal, zero-padded to `width` digits.
    package mutating func appendHex(_ value: UInt64, width: Int) {
        let digits: StaticString = "0123456789abcdef"
        var count = 1
        while count < 16 && value >> (UInt64(count) * 4) != 0 { count += 1 }
        let total = max(count, width)
        self.write(maximum: total) { out in
            var rest = value
            for index in stride(from: total - 1, through: 0, by: -1) {
                out[index] = digits.utf8Start[Int(rest & 0xF)]
                rest >>= 4
            }
            return total
        }
    }
}
