import NIOCore

/// MySQL's binary DECIMAL format (`decimal2bin` in `strings/decimal.cc`), as NEWDECIMAL row values and binary
/// JSON opaque decimals store it.
///
/// The digits before and after the point are cut into groups of 9 (4 bytes each, big-endian); a leftover
/// group of 1...8 digits takes 1...4 bytes (`[0, 1, 1, 2, 2, 3, 3, 4, 4, 4]`) and sits at the far end: before
/// the full integer groups, after the full fraction groups. Negative numbers have every byte inverted. The
/// sign bit (the first byte's high bit) is flipped so that the bytes sort like the numbers.
///
///     DECIMAL(14,4) 1234567890.1234:  [1][234567890][1234] → 0x81 0x0D 0xFB 0x38 0xD2 0x04 0xD2
///                                     2 bytes   4 bytes   2 bytes
enum DecimalBinary {
    /// Bytes for a leftover group of `n` digits.
    private static let bytesPerDigits: [Int] = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]
    private static let digitsPerGroup = 9

    /// The number of bytes a DECIMAL(precision, scale) value takes.
    static func byteCount(precision: Int, scale: Int) -> Int {
        let integerDigits = max(precision - scale, 0)
        return (integerDigits / 9) * 4 + Self.bytesPerDigits[integerDigits % 9] + (scale / 9) * 4
            + Self.bytesPerDigits[scale % 9]
    }

    /// Reads a DECIMAL(precision, scale) value and returns its exact text: an optional `-`, the integer digits
    /// without leading zeros (at least one `0`), then `.` and exactly `scale` digits when `scale > 0`.
    ///
    /// - Throws: ``BinlogDecodingError`` `.malformed` for an impossible precision/scale or a group holding more
    ///   digits than it may; `.truncated` when the bytes end early.
    static func decode(precision: Int, scale: Int, from buffer: inout ByteBuffer) throws -> String {
        guard precision >= 1, precision <= 81, scale >= 0, scale <= precision else {
            throw BinlogDecodingError.malformed(
                "DECIMAL value",
                reason: "precision \(precision) and scale \(scale) are not a valid DECIMAL"
            )
        }
        let size = Self.byteCount(precision: precision, scale: scale)
        guard buffer.readableBytes >= size else {
            throw BinlogDecodingError.truncated(
                "DECIMAL value",
                needed: size,
                available: buffer.readableBytes,
                file: #fileID,
                line: #line
            )
        }
        let integerDigits = precision - scale
        var text: [UInt8] = []
        text.reserveCapacity(precision + 3)
        var isNegative = false
        var isZero = true
        try buffer.withUnsafeReadableBytes { raw in
            isNegative = raw[0] & 0x80 == 0
            let mask: UInt8 = isNegative ? 0xFF : 0x00
            var offset = 0
            func group(bytes: Int, digits: Int) throws -> UInt32 {
                var value: UInt32 = 0
                for index in 0..<bytes {
                    var byte = raw[offset + index] ^ mask
                    if offset + index == 0 { byte ^= 0x80 }
                    value = value << 8 | UInt32(byte)
                }
                offset += bytes
                guard value < Self.powersOfTen[digits] else {
                    throw BinlogDecodingError.malformed(
                        "DECIMAL value",
                        reason: "a group of \(digits) digits holds \(value)"
                    )
                }
                return value
            }
            // Integer part: leftover group first, then the full groups; leading zeros dropped.
            var integerText: [UInt8] = []
            let leading = integerDigits % 9
            if leading > 0 {
                let value = try group(bytes: Self.bytesPerDigits[leading], digits: leading)
                if value != 0 { Self.appendDigits(value, width: 0, to: &integerText) }
            }
            for _ in 0..<(integerDigits / 9) {
                let value = try group(bytes: 4, digits: 9)
                if integerText.isEmpty {
                    if value != 0 { Self.appendDigits(value, width: 0, to: &integerText) }
                } else {
                    Self.appendDigits(value, width: 9, to: &integerText)
                }
            }
            isZero = integerText.isEmpty
            text.append(contentsOf: integerText.isEmpty ? [UInt8(ascii: "0")] : integerText)
            // Fraction: full groups, then the leftover group, each zero-padded to its digit count.
            if scale > 0 {
                text.append(UInt8(ascii: "."))
                for _ in 0..<(scale / 9) {
                    let value = try group(bytes: 4, digits: 9)
                    if value != 0 { isZero = false }
                    Self.appendDigits(value, width: 9, to: &text)
                }
                let trailing = scale % 9
                if trailing > 0 {
                    let value = try group(bytes: Self.bytesPerDigits[trailing], digits: trailing)
                    if value != 0 { isZero = false }
                    Self.appendDigits(value, width: trailing, to: &text)
                }
            }
        }
        buffer.moveReaderIndex(forwardBy: size)
        if isNegative && !isZero { text.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: text, as: UTF8.self)
    }

    private static let powersOfTen: [UInt32] = [
        1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    ]

    /// Appends `value` in decimal, left-padded with zeros to `width` digits.
    private static func appendDigits(_ value: UInt32, width: Int, to text: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
                rest /= 10
                count += 1
            } while rest > 0
        }
        if count < width { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count)) }
        withUnsafeBytes(of: &digits) { scratch in
            for index in stride(from: count - 1, through: 0, by: -1) { text.append(scratch[index]) }
        }
    }
}
