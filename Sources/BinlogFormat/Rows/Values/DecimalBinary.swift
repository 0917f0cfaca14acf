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
    /// Bytes for a leftover group of `digits` (0...8) digits: 0, 1, 1, 2, 2, 3, 3, 4, 4.
    @inline(__always)
    private static func bytes(forDigits digits: Int) -> Int { (digits + 1) / 2 }

    /// The number of bytes a DECIMAL(precision, scale) value takes.
    static func byteCount(precision: Int, scale: Int) -> Int {
        let integerDigits = max(precision - scale, 0)
        return (integerDigits / 9) * 4 + Self.bytes(forDigits: integerDigits % 9) + (scale / 9) * 4
            + Self.bytes(forDigits: scale % 9)
    }

    /// Reads a DECIMAL(precision, scale) value and returns its exact text: an optional `-`, the integer digits
    /// without leading zeros (at least one `0`), then `.` and exactly `scale` digits when `scale > 0`.
    ///
    /// - Throws: ``BinlogDecodingError`` `.malformed` for an impossible precision/scale or a group holding more
    ///   digits than it may; `.truncated` when the bytes end early.
    static func decode(precision: Int, scale: Int, from buffer: inout ByteBuffer) throws -> String {
        try Self.withText(precision: precision, scale: scale, from: &buffer) { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads a DECIMAL(precision, scale) value and appends its text (as ``decode(precision:scale:from:)``
    /// returns it) without creating a `String`.
    static func append(precision: Int, scale: Int, from buffer: inout ByteBuffer, to output: inout [UInt8]) throws {
        try Self.withText(precision: precision, scale: scale, from: &buffer) { output.append(contentsOf: $0) }
    }

    /// Decodes into a stack buffer and hands the text's UTF-8 to `body`.
    private static func withText<Result>(
        precision: Int,
        scale: Int,
        from buffer: inout ByteBuffer,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        let size = try Self.checkedByteCount(precision: precision, scale: scale)
        guard buffer.readableBytes >= size else {
            throw BinlogDecodingError.truncated(
                "DECIMAL value",
                needed: size,
                available: buffer.readableBytes,
                file: #fileID,
                line: #line
            )
        }
        let result = try buffer.withUnsafeReadableBytes { raw in
            try Self.withText(precision: precision, scale: scale, bytes: raw, body)
        }
        buffer.moveReaderIndex(forwardBy: size)
        return result
    }

    /// The byte size of DECIMAL(precision, scale), after checking that such a DECIMAL can exist.
    static func checkedByteCount(precision: Int, scale: Int) throws -> Int {
        guard precision >= 1, precision <= 81, scale >= 0, scale <= precision else {
            throw BinlogDecodingError.malformed(
                "DECIMAL value",
                reason: "precision \(precision) and scale \(scale) are not a valid DECIMAL"
            )
        }
        return Self.byteCount(precision: precision, scale: scale)
    }

    /// Appends the text of the DECIMAL(precision, scale) value at the start of `bytes`, which the caller has
    /// checked holds at least ``checkedByteCount(precision:scale:)`` bytes.
    static func append<Output: ByteOutput & ~Copyable>(
        precision: Int, scale: Int, bytes: UnsafeRawBufferPointer, to output: inout Output
    ) throws {
        try Self.withText(precision: precision, scale: scale, bytes: bytes) {
            output.appendBytes(UnsafeRawBufferPointer($0))
        }
    }

    /// Decodes the value at the start of `raw` (valid precision and scale, enough bytes: the caller checked)
    /// into a stack buffer and hands the text's UTF-8 to `body`.
    private static func withText<Result>(
        precision: Int,
        scale: Int,
        bytes raw: UnsafeRawBufferPointer,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        precondition(raw.count >= Self.byteCount(precision: precision, scale: scale), "DECIMAL bytes not checked")
        // At most "-" + 81 digits + "." (+ slack), built in place.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { text -> Result in
            var reader = GroupReader(raw: raw, mask: raw[0] & 0x80 == 0 ? 0xFF : 0x00)
            var length = 1  // text[0] is reserved for the sign
            var isZero = true
            // Integer part: leftover group first, then the full groups; leading zeros dropped.
            let integerDigits = precision - scale
            let leading = integerDigits % 9
            if leading > 0 {
                let value = try reader.next(digits: leading)
                if value != 0 {
                    Self.write(value, width: 0, into: text, at: &length)
                    isZero = false
                }
            }
            for _ in 0..<(integerDigits / 9) {
                let value = try reader.next(digits: 9)
                if !isZero {
                    Self.write(value, width: 9, into: text, at: &length)
                } else if value != 0 {
                    Self.write(value, width: 0, into: text, at: &length)
                    isZero = false
                }
            }
            if isZero {
                text[length] = UInt8(ascii: "0")
                length += 1
            }
            // Fraction: full groups, then the leftover group, each zero-padded to its digit count.
            if scale > 0 {
                text[length] = UInt8(ascii: ".")
                length += 1
                for _ in 0..<(scale / 9) {
                    let value = try reader.next(digits: 9)
                    if value != 0 { isZero = false }
                    Self.write(value, width: 9, into: text, at: &length)
                }
                let trailing = scale % 9
                if trailing > 0 {
                    let value = try reader.next(digits: trailing)
                    if value != 0 { isZero = false }
                    Self.write(value, width: trailing, into: text, at: &length)
                }
            }
            let isNegative = reader.mask != 0 && !isZero
            text[0] = UInt8(ascii: "-")
            let start = isNegative ? 0 : 1
            return try body(UnsafeBufferPointer(rebasing: text[start..<length]))
        }
    }

    /// Reads the big-endian digit groups; negative numbers have every byte inverted, and the very first
    /// byte's high bit is the (flipped) sign.
    private struct GroupReader {
        let raw: UnsafeRawBufferPointer
        let mask: UInt8
        var offset = 0

        mutating func next(digits: Int) throws -> UInt32 {
            let count = digits == 9 ? 4 : DecimalBinary.bytes(forDigits: digits)
            var value: UInt32 = 0
            for index in self.offset..<(self.offset + count) {
                var byte = self.raw[index] ^ self.mask
                if index == 0 { byte ^= 0x80 }
                value = value << 8 | UInt32(byte)
            }
            self.offset += count
            var limit: UInt32 = 1
            for _ in 0..<digits { limit &*= 10 }
            guard value < limit else {
                throw BinlogDecodingError.malformed(
                    "DECIMAL value",
                    reason: "a group of \(digits) digits holds \(value)"
                )
            }
            return value
        }
    }

    /// Writes `value` in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    private static func write(
        _ value: UInt32,
        width: Int,
        into text: UnsafeMutableBufferPointer<UInt8>,
        at length: inout Int
    ) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let count = max(digits, width)
        var rest = value
        for index in stride(from: length + count - 1, through: length, by: -1) {
            text[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
        }
        length += count
    }
}
