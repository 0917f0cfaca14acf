import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct JSONRepresentationTests {
    private static func json(_ value: MySQLValue, _ column: ColumnDescriptor = ColumnDescriptor(type: .long)) -> String
    {
        value.jsonRepresentation(column: column)
    }

    @Test func numbers() {
        #expect(Self.json(.signed(-5)) == "-5")
        #expect(Self.json(.unsigned(9_007_199_254_740_992)) == "9007199254740992")
        #expect(Self.json(.unsigned(9_007_199_254_740_993)) == #""9007199254740993""#)
        #expect(Self.json(.signed(.min)) == #""-9223372036854775808""#)
        #expect(Self.json(.float(1.1)) == "1.1")
        #expect(Self.json(.double(-1.1)) == "-1.1")
        #expect(Self.json(.double(1e300)) == "1e300")
        #expect(Self.json(.decimal("-123.4500")) == #""-123.4500""#)
        #expect(Self.json(.year(0)) == "0")
        #expect(Self.json(.bit([0x01, 0x00, 0x01], bitCount: 17)) == "65537")
        #expect(Self.json(.null) == "null")
    }

    @Test func temporal() {
        let datetime = MySQLDateTime(
            date: MySQLDate(year: 2012, month: 3, day: 18),
            hour: 11,
            minute: 30,
            second: 45,
            microseconds: 123_000,
            precision: 3
        )
        #expect(Self.json(.datetime(datetime)) == #""2012-03-18T11:30:45.123""#)
        #expect(Self.json(.date(MySQLDate(year: 0, month: 0, day: 0))) == #""0000-00-00""#)
        #expect(
            Self.json(
                .time(MySQLTime(isNegative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 0, precision: 0))
            )
                == #""-838:59:59""#
        )
        #expect(
            Self.json(.timestamp(seconds: 1_332_070_245, microseconds: 0, precision: 0)) == #""2012-03-18T11:30:45Z""#
        )
        #expect(
            Self.json(.timestamp(seconds: 951_868_799, microseconds: 500_000, precision: 2))
                == #""2000-02-29T23:59:59.50Z""#
        )
        #expect(Self.json(.timestamp(seconds: 0, microseconds: 0, precision: 0)) == #""1970-01-01T00:00:00Z""#)
    }

    @Test func textAndBinary() {
        #expect(Self.json(.string(Array("a\"b\n".utf8), collation: 45)) == #""a\"b\n""#)
        #expect(Self.json(.string(Array("abc".utf8), collation: 63)) == #"{"base64": "YWJj"}"#)
        #expect(Self.json(.string([0x63, 0x61, 0x66, 0xE9], collation: 8)) == #"{"base64": "Y2Fm6Q=="}"#)
        #expect(Self.json(.string(Array("héllo".utf8), collation: nil)) == #""héllo""#)
        #expect(Self.json(.geometry([1, 2, 3, 4])) == #"{"base64": "AQIDBA=="}"#)
        #expect(Self.json(.json(.object([JSONMember(key: "k", value: .array([.int(1)]))]))) == #"{"k": [1]}"#)
    }

    @Test func enumAndSetUseNamesWhenKnown() {
        let enumColumn = ColumnDescriptor(
            type: .string,
            metadata: 0xF701,
            enumValues: [Array("x".utf8), Array("y".utf8)]
        )
        #expect(Self.json(.enumeration(2), enumColumn) == #""y""#)
        #expect(Self.json(.enumeration(0), enumColumn) == #""""#)
        #expect(Self.json(.enumeration(3), enumColumn) == "3")
        #expect(Self.json(.enumeration(2), ColumnDescriptor(type: .string, metadata: 0xF701)) == "2")
        let setColumn = ColumnDescriptor(
            type: .string,
            metadata: 0xF801,
            setValues: [Array("a".utf8), Array("b".utf8), Array("c".utf8)]
        )
        #expect(Self.json(.set(0b101), setColumn) == #""a,c""#)
        #expect(Self.json(.set(0), setColumn) == #""""#)
        #expect(Self.json(.set(0b1000), setColumn) == "8")
    }
}
