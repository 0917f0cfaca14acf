import NIOCore

/// The on-disk formats of MySQL's temporal columns in row images, old (pre-5.6) and new (`my_time.cc`'s
/// `*_packed_from_binary`).
///
///     DATE        3 bytes LE:  day (5 bits) | month (4 bits) << 5 | year << 9
///     TIME        3 bytes LE signed: ±(hh * 10000 + mm * 100 + ss)
///     DATETIME    8 bytes LE: YYYYMMDDhhmmss as a decimal integer
///     TIMESTAMP   4 bytes LE: seconds since the epoch
///     TIME2       3 bytes BE: 1 sign bit (1 = positive), 1 unused, hour (10), minute (6), second (6),
///                 stored + 0x800000; then the fraction (see below)
///     DATETIME2   5 bytes BE: sign bit, year * 13 + month (17), day (5), hour (5), minute (6), second (6),
///                 stored + 0x8000000000; then the fraction
///     TIMESTAMP2  4 bytes BE seconds, then the fraction
///     fraction    (fsp + 1) / 2 bytes BE: fsp 1-2 in 1/100 s, 3-4 in 1/10000 s, 5-6 in µs
///
/// Negative TIME2 values are stored as the two's complement of the whole packed value, so a negative
/// fraction borrows from the integer part.
enum TemporalBinary {
    static func date(from buffer: inout ByteBuffer) throws -> MySQLDate {
        let raw = try buffer.readLittleEndianUInt(byteCount: 3, field: "DATE value")
        return MySQLDate(
            year: UInt16(truncatingIfNeeded: raw >> 9),
            month: UInt8(truncatingIfNeeded: (raw >> 5) & 0x0F),
            day: UInt8(truncatingIfNeeded: raw & 0x1F)
        )
    }

    static func time(from buffer: inout ByteBuffer) throws -> MySQLTime {
        let raw = try buffer.readLittleEndianUInt(byteCount: 3, field: "TIME value")
        let signed = Int32(truncatingIfNeeded: raw << 8) >> 8
        let magnitude = signed.magnitude
        return MySQLTime(
            isNegative: signed < 0,
            hours: magnitude / 10000,
            minutes: UInt8(truncatingIfNeeded: magnitude / 100 % 100),
            seconds: UInt8(truncatingIfNeeded: magnitude % 100),
            microseconds: 0,
            precision: 0
        )
    }

    static func datetime(from buffer: inout ByteBuffer) throws -> MySQLDateTime {
        let raw = try buffer.readLittleEndian(UInt64.self, field: "DATETIME value")
        let date = raw / 1_000_000
        let time = raw % 1_000_000
        return MySQLDateTime(
            date: MySQLDate(
                year: UInt16(truncatingIfNeeded: date / 10000),
                month: UInt8(truncatingIfNeeded: date / 100 % 100),
                day: UInt8(truncatingIfNeeded: date % 100)
            ),
            hour: UInt8(truncatingIfNeeded: time / 10000),
            minute: UInt8(truncatingIfNeeded: time / 100 % 100),
            second: UInt8(truncatingIfNeeded: time % 100),
            microseconds: 0,
            precision: 0
        )
    }

    static func time2(precision: UInt8, from buffer: inout ByteBuffer) throws -> MySQLTime {
        let precision = try Self.checked(precision, type: "TIME2")
        let integer = try buffer.readBigEndianUInt(byteCount: 3, field: "TIME2 value")
        let fraction =
            precision == 0
            ? 0 : try buffer.readBigEndianUInt(byteCount: Int(precision + 1) / 2, field: "TIME2 fraction")
        return try Self.time2(integer: integer, fraction: fraction, precision: precision)
    }

    /// A TIME2 value from its 3 integer bytes and `(precision + 1) / 2` fraction bytes (both read big-endian).
    static func time2(integer raw: UInt64, fraction rawFraction: UInt64, precision: UInt8) throws -> MySQLTime {
        var integer = Int64(raw) - 0x80_0000
        var fraction = Int64(rawFraction)
        // For negative values with 1-4 fraction digits, the fraction is stored as its complement of the next
        // integer: -1.5 s is stored as integer -2 and fraction +0.5. Five or six digits need no correction:
        // the six bytes are one big-endian number.
        switch precision {
        case 1, 2:
            if integer < 0 && fraction != 0 {
                integer += 1
                fraction -= 0x100
            }
            fraction *= 10000
        case 3, 4:
            if integer < 0 && fraction != 0 {
                integer += 1
                fraction -= 0x1_0000
            }
            fraction *= 100
        case 5, 6:
            break
        default:
            fraction = 0
        }
        // The packed value (integer part << 24 | microseconds) is what is negated for negative times.
        let packed = integer * 0x100_0000 + fraction
        let magnitude = packed.magnitude
        let hms = magnitude >> 24
        guard magnitude & 0xFF_FFFF <= 999_999 else {
            throw BinlogDecodingError.malformed("TIME2 fraction", reason: "more than 999999 microseconds")
        }
        return MySQLTime(
            isNegative: packed < 0,
            hours: UInt32(truncatingIfNeeded: (hms >> 12) & 0x3FF),
            minutes: UInt8(truncatingIfNeeded: (hms >> 6) & 0x3F),
            seconds: UInt8(truncatingIfNeeded: hms & 0x3F),
            microseconds: UInt32(truncatingIfNeeded: magnitude & 0xFF_FFFF),
            precision: precision
        )
    }

    static func datetime2(precision: UInt8, from buffer: inout ByteBuffer) throws -> MySQLDateTime {
        let precision = try Self.checked(precision, type: "DATETIME2")
        let raw = try buffer.readBigEndianUInt(byteCount: 5, field: "DATETIME2 value")
        let microseconds = try Self.fraction(precision: precision, from: &buffer, field: "DATETIME2 fraction")
        return try Self.datetime2(raw: raw, microseconds: microseconds, precision: precision)
    }

    /// The date and time packed as `((year * 13 + month) << 5 | day) << 17 | hour << 12 | minute << 6 | second`, as
    /// DATETIME2 (after its sign bit) and MySQL's binary JSON datetimes (above their microseconds) hold them.
    static func datetime(fields packed: UInt64, microseconds: UInt32, precision: UInt8) -> MySQLDateTime {
        let yearMonthDay = packed >> 17
        let yearMonth = yearMonthDay >> 5
        let hms = packed & 0x1_FFFF
        return MySQLDateTime(
            date: MySQLDate(
                year: UInt16(truncatingIfNeeded: yearMonth / 13),
                month: UInt8(truncatingIfNeeded: yearMonth % 13),
                day: UInt8(truncatingIfNeeded: yearMonthDay & 0x1F)
            ),
            hour: UInt8(truncatingIfNeeded: hms >> 12),
            minute: UInt8(truncatingIfNeeded: (hms >> 6) & 0x3F),
            second: UInt8(truncatingIfNeeded: hms & 0x3F),
            microseconds: microseconds,
            precision: precision
        )
    }

    /// A DATETIME2 value from its 5 bytes (read big-endian) and its fraction in microseconds.
    static func datetime2(raw: UInt64, microseconds: UInt32, precision: UInt8) throws -> MySQLDateTime {
        // The sign bit is always set for valid values; a clear bit (a negative DATETIME) is not representable.
        guard raw >= 0x80_0000_0000 else {
            throw BinlogDecodingError.malformed("DATETIME2 value", reason: "negative DATETIME")
        }
        return Self.datetime(fields: raw - 0x80_0000_0000, microseconds: microseconds, precision: precision)
    }

    static func timestamp2(precision: UInt8, from buffer: inout ByteBuffer) throws -> MySQLValue {
        let precision = try Self.checked(precision, type: "TIMESTAMP2")
        let seconds = try buffer.readBigEndian(UInt32.self, field: "TIMESTAMP2 value")
        let microseconds = try Self.fraction(precision: precision, from: &buffer, field: "TIMESTAMP2 fraction")
        return .timestamp(seconds: seconds, microseconds: microseconds, precision: precision)
    }

    /// An unsigned big-endian fraction of `(precision + 1) / 2` bytes, scaled to microseconds.
    private static func fraction(precision: UInt8, from buffer: inout ByteBuffer, field: StaticString) throws -> UInt32
    {
        guard precision > 0 else { return 0 }
        let raw = try buffer.readBigEndianUInt(byteCount: Int(precision + 1) / 2, field: field)
        return try Self.microseconds(fraction: raw, precision: precision, field: field)
    }

    /// The fraction bytes of a DATETIME2/TIMESTAMP2 (read big-endian) in microseconds.
    @inline(__always)
    static func microseconds(fraction raw: UInt64, precision: UInt8, field: StaticString) throws -> UInt32 {
        let microseconds: UInt64
        switch precision {
        case 1, 2: microseconds = raw * 10000
        case 3, 4: microseconds = raw * 100
        case 5, 6: microseconds = raw
        default: microseconds = 0
        }
        guard microseconds <= 999_999 else {
            throw BinlogDecodingError.malformed(field, reason: "more than 999999 microseconds")
        }
        return UInt32(truncatingIfNeeded: microseconds)
    }

    private static func checked(_ precision: UInt8, type: String) throws -> UInt8 {
        guard precision <= 6 else {
            throw BinlogDecodingError(
                code: .malformed,
                reason: "\(type) column: fractional precision \(precision) is more than 6"
            )
        }
        return precision
    }
}
