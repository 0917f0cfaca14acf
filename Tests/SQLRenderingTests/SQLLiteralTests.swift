import BinlogFormat
import Testing

@testable import SQLRendering

@Suite struct SQLLiteralTests {
    static let utf8mb4 = ColumnDescriptor(type: .varchar, metadata: 400, collation: 45)

    static func render(_ value: MySQLValue, _ column: ColumnDescriptor = ColumnDescriptor(type: .long)) throws -> String
    {
        try SQLLiteral.render(value, column: column)
    }

    @Test func numbersAreExact() throws {
        #expect(try Self.render(.null) == "NULL")
        #expect(try Self.render(.signed(-9_223_372_036_854_775_808)) == "-9223372036854775808")
        #expect(try Self.render(.unsigned(18_446_744_073_709_551_615)) == "18446744073709551615")
        #expect(try Self.render(.decimal("-123.4500")) == "-123.4500")
        #expect(try Self.render(.year(2024)) == "2024")
        #expect(try Self.render(.year(0)) == "'0000'")
        #expect(try Self.render(.enumeration(3)) == "3")
        #expect(try Self.render(.set(5)) == "5")
    }

    @Test(arguments: [0.1, -2.5e-300, 1.7976931348623157e308, Double.leastNonzeroMagnitude, 3.0, 123456789.125])
    func doublesReadBackAsTheSameDouble(value: Double) throws {
        let text = try Self.render(.double(value), ColumnDescriptor(type: .double, metadata: 8))
        #expect(text.contains("e"))
        #expect(Double(text) == value)
    }

    @Test func floatsAreTheirExactDoubleValue() throws {
        let text = try Self.render(.float(0.1), ColumnDescriptor(type: .float, metadata: 4))
        #expect(text == "0.10000000149011612e0")
        #expect(Float(Double(text)!) == Float(0.1))
    }

    @Test func nonFiniteDoublesThrowNamingTheColumn() {
        let column = ColumnDescriptor(type: .double, metadata: 8, name: "ratio")
        let error = #expect(throws: SQLRenderingError.self) { try SQLLiteral.render(.double(.nan), column: column) }
        #expect(error?.code == .notRepresentable)
        #expect(error?.description.contains("column ratio") == true)
    }

    @Test func temporalValuesKeepTheirFractions() throws {
        let date = MySQLDate(year: 2024, month: 2, day: 29)
        #expect(try Self.render(.date(date)) == "'2024-02-29'")
        #expect(try Self.render(.date(MySQLDate(year: 0, month: 0, day: 0))) == "'0000-00-00'")
        let datetime = MySQLDateTime(date: date, hour: 13, minute: 45, second: 0, microseconds: 123_456, precision: 6)
        #expect(try Self.render(.datetime(datetime)) == "'2024-02-29 13:45:00.123456'")
        let time = MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 0, precision: 3)
        #expect(try Self.render(.time(time)) == "'-838:59:59.000'")
        #expect(
            try Self.render(.timestamp(seconds: 1_709_214_300, microseconds: 120_000, precision: 2))
                == "'2024-02-29 13:45:00.12'")
        #expect(try Self.render(.timestamp(seconds: 0, microseconds: 0, precision: 0)) == "'0000-00-00 00:00:00'")
    }

    @Test func utf8TextIsQuotedWithQuotesDoubled() throws {
        #expect(try Self.render(.string(Array("it's één 🙂".utf8), collation: 45), Self.utf8mb4) == "'it''s één 🙂'")
        #expect(try Self.render(.string([], collation: 45), Self.utf8mb4) == "''")
    }

    @Test func textWithBackslashesOrControlBytesIsHexWithItsCharset() throws {
        #expect(try Self.render(.string(Array("a\\b".utf8), collation: 45), Self.utf8mb4) == "_utf8mb4 0x615C62")
        #expect(try Self.render(.string([0x61, 0x00], collation: 33), Self.utf8mb4) == "_utf8mb3 0x6100")
        #expect(try Self.render(.string([0xFF, 0xFE], collation: 45), Self.utf8mb4) == "_utf8mb4 0xFFFE")
    }

    @Test func otherCharsetsAreHexWithAnIntroducer() throws {
        let latin1 = ColumnDescriptor(type: .varchar, metadata: 20, collation: 8)
        #expect(try Self.render(.string([0x63, 0x61, 0x66, 0xE9], collation: 8), latin1) == "_latin1 0x636166E9")
        #expect(try Self.render(.string([], collation: 8), latin1) == "_latin1''")
        #expect(try Self.render(.string([0x41], collation: 1033), latin1) == "_latin2 0x41")
        #expect(try Self.render(.string([0x41], collation: 2304), latin1) == "'A'")
        #expect(
            try Self.render(.string([0x41], collation: nil), ColumnDescriptor(type: .varchar, metadata: 20))
                == "0x41")
    }

    @Test func binaryIsHexAndFixedBinaryIsPadded() throws {
        let blob = ColumnDescriptor(type: .blob, metadata: 2, collation: 63)
        #expect(try Self.render(.string([0x00, 0xFF], collation: 63), blob) == "0x00FF")
        #expect(try Self.render(.string([], collation: 63), blob) == "X''")
        // BINARY(4): STRING with real type 0xFE and length 4.
        let binary4 = ColumnDescriptor(type: .string, metadata: 0xFE04, collation: 63)
        #expect(try Self.render(.string([0x61, 0x62], collation: 63), binary4) == "0x61620000")
    }

    @Test func bitsHaveExactlyTheColumnWidth() throws {
        #expect(try Self.render(.bit([0x01, 0x05], bitCount: 10)) == "b'0100000101'")
        #expect(try Self.render(.bit([0x80], bitCount: 8)) == "b'10000000'")
        #expect(try Self.render(.bit([0x01], bitCount: 1)) == "b'1'")
    }

    @Test func mysqlJSONIsCastFromItsText() throws {
        let document = JSONValue.object([
            JSONMember(key: "a", value: .int(1)), JSONMember(key: "b", value: .array([.bool(true), .null])),
        ])
        #expect(
            try Self.render(.json(document), ColumnDescriptor(type: .json, metadata: 4))
                == #"CAST('{"a": 1, "b": [true, null]}' AS JSON)"#)
        let escaped = JSONValue.string("line\nbreak")
        #expect(
            try Self.render(.json(escaped), ColumnDescriptor(type: .json, metadata: 4))
                == "CAST(_utf8mb4 0x226C696E655C6E627265616B22 AS JSON)")
    }

    @Test func identifiersAreBackquotedWithBackquotesDoubled() {
        #expect(SQLIdentifier.quoted("order") == "`order`")
        #expect(SQLIdentifier.quoted("we`ird") == "`we``ird`")
        var output: [UInt8] = []
        SQLIdentifier.appendQualified(database: "shop", table: "line items", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "`shop`.`line items`")
    }

    @Test func collationsMapToTheirCharsets() {
        #expect(MySQLCharset.name(forCollation: 255) == "utf8mb4")
        #expect(MySQLCharset.name(forCollation: 8) == "latin1")
        #expect(MySQLCharset.name(forCollation: 1069) == "utf8mb4")
        #expect(MySQLCharset.name(forCollation: 63) == "binary")
        #expect(MySQLCharset.name(forCollation: 9999) == nil)
    }
}
