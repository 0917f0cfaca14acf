import BinlogFormat

extension SQLLiteral {
    /// Appends the literal for the non-NULL value of a column whose bytes, as the row image stores them, are
    /// exactly `raw` (a ``RawRowImage/Slot``'s range): the same text as ``append(_:column:to:)`` writes for the
    /// decoded value, without making a ``MySQLValue`` (no allocation for the common types).
    ///
    /// - Parameters:
    ///   - literal: the column's ``SQLLiteralPlan``.
    ///   - column: the column, evaluated only for the rare types that are decoded first.
    /// - Throws: ``SQLRenderingError`` as ``append(_:column:to:)``; ``BinlogDecodingError`` for impossible bytes.
    package static func append(
        raw: UnsafeRawBufferPointer,
        plan literal: SQLLiteralPlan,
        column: @autoclosure () -> ColumnDescriptor,
        to output: inout [UInt8]
    ) throws {
        let plan = literal.storage
        switch plan.kind {
        case .integer:
            let bits = try Self.littleEndian(raw, plan.size)
            if literal.isUnsigned {
                ValueText.appendUnsigned(bits, to: &output)
            } else {
                let shift = UInt64(64 &- 8 &* plan.size)
                ValueText.appendSigned(Int64(bitPattern: bits << shift) >> shift, to: &output)
            }
        case .float:
            let bits = UInt32(truncatingIfNeeded: try Self.littleEndian(raw, 4))
            try Self.appendDouble(Double(Float(bitPattern: bits)), type: literal.type, to: &output)
        case .double:
            try Self.appendDouble(Double(bitPattern: try Self.littleEndian(raw, 8)), type: literal.type, to: &output)
        case .decimal:
            try ValueText.appendDecimal(precision: plan.precision, scale: plan.scale, bytes: raw, to: &output)
        case .year:
            let year = try Self.littleEndian(raw, 1)
            if year == 0 {
                output.append(contentsOf: "'0000'".utf8)
            } else {
                ValueText.appendUnsigned(1900 + year, to: &output)
            }
        case .date:
            let bits = try Self.littleEndian(raw, 3)
            let date = MySQLDate(
                year: UInt16(truncatingIfNeeded: bits >> 9),
                month: UInt8(truncatingIfNeeded: (bits >> 5) & 0x0F),
                day: UInt8(truncatingIfNeeded: bits & 0x1F)
            )
            output.append(UInt8(ascii: "'"))
            ValueText.appendDate(date, to: &output)
            output.append(UInt8(ascii: "'"))
        case .datetime2:
            let precision = UInt8(truncatingIfNeeded: plan.precision)
            let value = try ValueText.datetime2(
                raw: try Self.bigEndian(raw, 0, 5),
                fraction: try Self.bigEndian(raw, 5, plan.size),
                precision: precision
            )
            output.append(UInt8(ascii: "'"))
            ValueText.appendDateTime(value, to: &output)
            output.append(UInt8(ascii: "'"))
        case .timestamp2:
            let precision = UInt8(truncatingIfNeeded: plan.precision)
            let seconds = UInt32(truncatingIfNeeded: try Self.bigEndian(raw, 0, 4))
            let microseconds = try ValueText.timestamp2Microseconds(
                fraction: try Self.bigEndian(raw, 4, plan.size),
                precision: precision
            )
            Self.appendTimestamp(seconds: seconds, microseconds: microseconds, precision: precision, to: &output)
        case .time2:
            let time = try ValueText.time2(
                integer: try Self.bigEndian(raw, 0, 3),
                fraction: try Self.bigEndian(raw, 3, plan.size),
                precision: UInt8(truncatingIfNeeded: plan.precision)
            )
            output.append(UInt8(ascii: "'"))
            ValueText.appendTime(time, to: &output)
            output.append(UInt8(ascii: "'"))
        case .quoted:
            let length = Int(try Self.littleEndian(raw, plan.size))
            guard plan.size + length == raw.count else { throw Self.badLength(raw.count) }
            Self.appendString(UnsafeRawBufferPointer(rebasing: raw[plan.size...]), style: literal.strings, to: &output)
        case .enumeration, .set:
            ValueText.appendUnsigned(try Self.littleEndian(raw, plan.size), to: &output)
        case .general:
            if let bitCount = literal.bitCount {
                Self.appendBits(raw, bitCount: bitCount, to: &output)
            } else {
                let column = column()
                try Self.append(try MySQLValue.decode(column, raw: raw), column: column, to: &output)
            }
        }
    }

    /// The little-endian integer of the first `count` (1...8) bytes of `raw`, which holds at least that many.
    @inline(__always)
    private static func littleEndian(_ raw: UnsafeRawBufferPointer, _ count: Int) throws -> UInt64 {
        guard count >= 1, count <= 8, raw.count >= count else { throw Self.badLength(raw.count) }
        var value: UInt64 = 0
        for index in 0..<count { value |= UInt64(raw[index]) << (8 &* UInt64(index)) }
        return value
    }

    /// The big-endian integer of `count` (0...8) bytes of `raw` from `offset`; 0 for no bytes.
    @inline(__always)
    private static func bigEndian(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) throws -> UInt64 {
        guard count >= 0, count <= 8, offset >= 0, raw.count >= offset + count else { throw Self.badLength(raw.count) }
        var value: UInt64 = 0
        for index in offset..<(offset + count) { value = value << 8 | UInt64(raw[index]) }
        return value
    }

    private static func badLength(_ count: Int) -> SQLRenderingError {
        SQLRenderingError(code: .mismatchedType, reason: "\(count) bytes do not hold a value of the column's type")
    }
}
