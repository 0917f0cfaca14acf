extension MySQLValue {
    /// The value as `mariadb-binlog -v --base64-output=decode-rows` prints it after `###   @n=`.
    ///
    /// Text is returned as a `String`, so bytes that are not UTF-8 (latin1 text, binary strings) are shown
    /// as U+FFFD here; use ``appendVerboseText(to:column:)`` to get mariadb-binlog's exact bytes.
    package func verboseText(column: ColumnDescriptor) -> String {
        var output: [UInt8] = []
        self.appendVerboseText(to: &output, column: column)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the value's bytes exactly as `mariadb-binlog -v` (MariaDB 10.11) prints them:
    ///
    ///     integers     -1 (4294967295)     signed; a negative value also as unsigned of the column's width,
    ///                                      whatever the column's signedness (mariadb-binlog ignores it)
    ///     FLOAT        1.5␠␠␠…             printf("%-20g"): padded with spaces to 20 characters
    ///     DOUBLE       -1.1000000000000000888   printf("%-.20g")
    ///     DECIMAL      -123.4500
    ///     YEAR         2155, 0 → 1900
    ///     DATE         '2012:03:18'        (colons, sic)
    ///     TIME         '-838:59:59.999'    DATETIME '2012-03-18 11:30:45.123'
    ///     TIMESTAMP    1332070245, 978307200.01   epoch seconds, fraction to the column's precision
    ///     strings      'it's'              single-quoted, bytes < 0x20 as \x0a, nothing else escaped
    ///     ENUM         2                   the index;  SET b'0000010100000001': the stored bytes' bits
    ///     BIT(n)       b'1010101'          n bits
    ///     GEOMETRY, BLOB, TEXT             like strings
    ///     NULL         NULL
    ///
    /// MySQL JSON (which mariadb-binlog cannot print) is written as its quoted canonical text and VECTOR as
    /// its quoted little-endian bytes. MariaDB COMPRESSED columns print decompressed (mariadb-binlog prints
    /// the raw compressed bytes).
    package func appendVerboseText<Output: ByteOutput & ~Copyable>(to output: inout Output, column: ColumnDescriptor) {
        switch self {
        case .null:
            output.append(0x4E)  // NULL
            output.append(0x55)
            output.append(0x4C)
            output.append(0x4C)
        case .signed(let value):
            Self.appendIntegerVerbose(UInt64(bitPattern: value), column: column, to: &output)
        case .unsigned(let value):
            Self.appendIntegerVerbose(value, column: column, to: &output)
        case .float(let value):
            PrintfG.append(Double(value), precision: 6, width: 20, to: &output)
        case .double(let value):
            PrintfG.append(value, precision: 20, to: &output)
        case .decimal(let text):
            output.appendBytes(Array(text.utf8))
        case .year(let year):
            TextBytes.appendUnsigned(UInt64(year == 0 ? 1900 : year), width: 4, to: &output)
        case .date(let date):
            output.append(UInt8(ascii: "'"))
            TextBytes.appendDate(date, separator: UInt8(ascii: ":"), to: &output)
            output.append(UInt8(ascii: "'"))
        case .time(let time):
            output.append(UInt8(ascii: "'"))
            TextBytes.appendTime(time, to: &output)
            output.append(UInt8(ascii: "'"))
        case .datetime(let value):
            output.append(UInt8(ascii: "'"))
            TextBytes.appendDateTime(value, to: &output)
            output.append(UInt8(ascii: "'"))
        case .timestamp(let seconds, let microseconds, let precision):
            TextBytes.appendSigned(Int64(Int32(bitPattern: seconds)), to: &output)
            TextBytes.appendFraction(microseconds, precision: precision, to: &output)
        case .string(let bytes, _), .geometry(let bytes):
            Self.appendQuoted(bytes, to: &output)
        case .enumeration(let index):
            TextBytes.appendUnsigned(UInt64(index), to: &output)
        case .set(let mask):
            let size = min(max(column.realMaxLength, 1), 8)
            TextBytes.appendPair(UInt8(ascii: "b"), UInt8(ascii: "'"), to: &output)
            for byteIndex in 0..<size {
                TextBytes.appendBits(UInt8(truncatingIfNeeded: mask >> (8 * UInt64(byteIndex))), to: &output)
            }
            output.append(UInt8(ascii: "'"))
        case .bit(let bytes, let bitCount):
            // The last `bitCount` bits of the big-endian bytes.
            TextBytes.appendPair(UInt8(ascii: "b"), UInt8(ascii: "'"), to: &output)
            let totalBits = bytes.count * 8
            for bitIndex in (totalBits - min(max(bitCount, 0), totalBits))..<totalBits {
                let isSet = (bytes[bitIndex / 8] >> UInt8(7 - bitIndex % 8)) & 1 == 1
                output.append(isSet ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            }
            output.append(UInt8(ascii: "'"))
        case .json(let value):
            var text: [UInt8] = []
            value.appendCanonicalText(to: &text)
            Self.appendQuoted(text, to: &output)
        case .vector(let floats):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(floats.count * 4)
            for float in floats {
                let bits = float.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
            }
            Self.appendQuoted(bytes, to: &output)
        }
    }

    /// `-1 (255)`: the value as a signed integer of the column's width and, when negative, as unsigned.
    static func appendIntegerVerbose<Output: ByteOutput & ~Copyable>(
        _ bits: UInt64, column: ColumnDescriptor, to output: inout Output
    ) {
        let width: Int
        switch column.type.rawValue {
        case 1: width = 8  // TINY
        case 2: width = 16  // SHORT
        case 9: width = 24  // INT24
        case 3: width = 32  // LONG
        default: width = 64
        }
        Self.appendIntegerVerbose(bits, bitWidth: width, to: &output)
    }

    /// `-1 (255)`: the low `bitWidth` (8...64) bits as a signed integer and, when negative, as unsigned.
    @inline(__always)
    static func appendIntegerVerbose<Output: ByteOutput & ~Copyable>(
        _ bits: UInt64, bitWidth: Int, to output: inout Output
    ) {
        let shift = UInt64(64 &- bitWidth)
        let unsigned = (bits << shift) >> shift
        let signed = Int64(bitPattern: unsigned << shift) >> shift
        if signed >= 0 {
            TextBytes.appendUnsigned(unsigned, to: &output)
            return
        }
        TextBytes.appendSigned(signed, to: &output)
        TextBytes.appendPair(UInt8(ascii: " "), UInt8(ascii: "("), to: &output)
        TextBytes.appendUnsigned(unsigned, to: &output)
        output.append(UInt8(ascii: ")"))
    }

    /// `'…'` with bytes below 0x20 as `\xNN` and every other byte (quotes and backslashes included) as is.
    @inline(__always)
    static func appendQuoted<Output: ByteOutput & ~Copyable>(_ bytes: [UInt8], to output: inout Output) {
        bytes.withUnsafeBytes { TextBytes.appendQuoted($0, to: &output) }
    }
}
