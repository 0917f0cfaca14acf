import BinlogFormat
import Testing

@testable import SQLRendering

/// Literals written straight from row bytes are the literals of the decoded values, type by type, and the
/// plain-text check (eight bytes at a time where it can) agrees with Swift's UTF-8 validation.
@Suite struct RawLiteralTests {
    /// The raw literal and the literal of the decoded value, which must be equal.
    static func both(_ bytes: [UInt8], _ column: ColumnDescriptor) throws -> (raw: String, decoded: String) {
        var raw: [UInt8] = []
        var decoded: [UInt8] = []
        try bytes.withUnsafeBytes { bytes in
            try SQLLiteral.append(raw: bytes, plan: SQLLiteralPlan(column), column: column, to: &raw)
            try SQLLiteral.append(try MySQLValue.decode(column, raw: bytes), column: column, to: &decoded)
        }
        return (String(decoding: raw, as: UTF8.self), String(decoding: decoded, as: UTF8.self))
    }

    /// Name, bytes as a row image holds them, column, and the literal (`nil`: only compared with the decoded one).
    static let cases: [(String, [UInt8], ColumnDescriptor, String?)] = [
        ("TINYINT", [0xFF], ColumnDescriptor(type: .tiny, isUnsigned: false), "-1"),
        ("TINYINT UNSIGNED", [0xFF], ColumnDescriptor(type: .tiny, isUnsigned: true), "255"),
        ("MEDIUMINT", [0xFF, 0xFF, 0x80], ColumnDescriptor(type: .int24, isUnsigned: false), "-8323073"),
        ("INT", [0x00, 0x00, 0x00, 0x80], ColumnDescriptor(type: .long), "-2147483648"),
        (
            "BIGINT UNSIGNED", Array(repeating: 0xFF, count: 8), ColumnDescriptor(type: .longlong, isUnsigned: true),
            "18446744073709551615"
        ),
        ("FLOAT", [0xCD, 0xCC, 0xCC, 0x3D], ColumnDescriptor(type: .float, metadata: 4), "0.10000000149011612e0"),
        ("DOUBLE", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F], ColumnDescriptor(type: .double, metadata: 8), "1.5e0"),
        (
            "DECIMAL(14,4)", [0x81, 0x0D, 0xFB, 0x38, 0xD2, 0x04, 0xD2],
            ColumnDescriptor(type: .newdecimal, metadata: 0x0E04),
            "1234567890.1234"
        ),
        ("YEAR 0", [0], ColumnDescriptor(type: .year), "'0000'"),
        ("YEAR", [124], ColumnDescriptor(type: .year), "2024"),
        ("DATE", [0x5D, 0xD0, 0x0F], ColumnDescriptor(type: .date), "'2024-02-29'"),
        (
            "DATETIME(6)", [0x99, 0xB2, 0xBA, 0xDB, 0x40, 0x01, 0xE2, 0x40],
            ColumnDescriptor(type: .datetime2, metadata: 6),
            "'2024-02-29 13:45:00.123456'"
        ),
        (
            "TIMESTAMP(3)", [0x65, 0xE0, 0x8A, 0x5C, 0x04, 0xCE], ColumnDescriptor(type: .timestamp2, metadata: 3),
            "'2024-02-29 13:45:00.123'"
        ),
        ("TIMESTAMP zero", [0, 0, 0, 0], ColumnDescriptor(type: .timestamp2, metadata: 0), "'0000-00-00 00:00:00'"),
        ("TIME(3) negative", [0x7F, 0xFF, 0xFF, 0xFF, 0x9C], ColumnDescriptor(type: .time2, metadata: 3), nil),
        ("TIME(6)", [0x80, 0x10, 0x00, 0x00, 0x00, 0x01], ColumnDescriptor(type: .time2, metadata: 6), nil),
        (
            "VARCHAR utf8mb4", [5] + Array("it's".utf8) + [0x21],
            ColumnDescriptor(type: .varchar, metadata: 80, collation: 45), "'it''s!'"
        ),
        ("VARCHAR(400)", [2, 0, 0x6F, 0x6B], ColumnDescriptor(type: .varchar, metadata: 400, collation: 45), "'ok'"),
        (
            "VARCHAR with a backslash", [3, 0x61, 0x5C, 0x62],
            ColumnDescriptor(type: .varchar, metadata: 80, collation: 45),
            "_utf8mb4 0x615C62"
        ),
        (
            "VARCHAR latin1", [4, 0x63, 0x61, 0x66, 0xE9], ColumnDescriptor(type: .varchar, metadata: 60, collation: 8),
            "_latin1 0x636166E9"
        ),
        ("VARCHAR latin1 empty", [0], ColumnDescriptor(type: .varchar, metadata: 60, collation: 8), "_latin1''"),
        ("BINARY(4)", [2, 0x01, 0x02], ColumnDescriptor(type: .string, metadata: 0xFE04, collation: 63), "0x01020000"),
        ("BLOB", [2, 0, 0x00, 0xFF], ColumnDescriptor(type: .blob, metadata: 2, collation: 63), "0x00FF"),
        ("ENUM", [2], ColumnDescriptor(type: .string, metadata: 0xF701), "2"),
        ("SET", [5], ColumnDescriptor(type: .string, metadata: 0xF801), "5"),
        ("BIT(12)", [0x0A, 0xBC], ColumnDescriptor(type: .bit, metadata: 0x0104), "b'101010111100'"),
    ]

    @Test(arguments: Self.cases.indices)
    func rawLiteralsAreTheLiteralsOfTheDecodedValues(index: Int) throws {
        let (name, bytes, column, expected) = Self.cases[index]
        let (raw, decoded) = try Self.both(bytes, column)
        #expect(raw == decoded, "\(name)")
        if let expected { #expect(raw == expected, "\(name)") }
    }

    @Test func aStringOfTheWrongLengthIsAnError() {
        let column = ColumnDescriptor(type: .varchar, metadata: 80, collation: 45)
        var output: [UInt8] = []
        #expect(throws: SQLRenderingError.self) {
            try [UInt8]([5, 0x61]).withUnsafeBytes {
                try SQLLiteral.append(raw: $0, plan: SQLLiteralPlan(column), column: column, to: &output)
            }
        }
    }

    @Test func plainTextAgreesWithUTF8Validation() {
        let pieces: [[UInt8]] = [
            Array("plain ascii text!".utf8), Array("één 🙂".utf8), [0x27], [0x5C], [0x7F], [0x09], [0x0A], [0x0D],
            [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x99], [0x80],
            [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xE0, 0x9F, 0x80], [0x00], Array("abcdefg".utf8),
        ]
        // Every string of three pieces: bad bytes and quotes at every offset of the eight-byte words.
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let bytes = first + second + third
                    let valid = String(validating: bytes, as: UTF8.self) != nil
                    let controls = bytes.contains {
                        ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x5C || $0 == 0x7F
                    }
                    let quotes = bytes.withUnsafeBytes { SQLLiteral.plainTextQuotes($0) }
                    #expect(quotes == (valid && !controls ? bytes.filter { $0 == 0x27 }.count : nil), "\(bytes)")
                }
            }
        }
    }
}
