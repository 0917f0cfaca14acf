import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct JSONBinaryTests {
    private static func decode(_ hex: String) throws -> JSONValue {
        try JSONBinary.decode(RowValueTestSupport.buffer(hex))
    }

    @Test func smallObjectWithInlineAndOffsetValues() throws {
        // {"a": 1, "bb": "x"}: count 2, size 23, key entries (offset, length), value entries (type, inline/offset).
        let value = try Self.decode("00 0200 1700 1200 0100 1300 0200 05 0100 0c 1500 61 6262 0178")
        #expect(value == .object([JSONMember(key: "a", value: .int(1)), JSONMember(key: "bb", value: .string("x"))]))
        #expect(value.canonicalText == #"{"a": 1, "bb": "x"}"#)
    }

    @Test func largeArrayInlinesThirtyTwoBitIntegers() throws {
        let value = try Self.decode("03 03000000 19000000 07 00000080 08 ffffffff 0c 17000000 0173")
        #expect(value == .array([.int(-2_147_483_648), .int(4_294_967_295), .string("s")]))
    }

    @Test func smallArrayOfLiteralsAndSixteenBitIntegers() throws {
        // [0, 1, true, false, null, -1, 65535]
        let value = try Self.decode("02 0700 1900 050000 050100 040100 040200 040000 05ffff 06ffff")
        #expect(value == .array([.int(0), .int(1), .bool(true), .bool(false), .null, .int(-1), .int(65535)]))
        #expect(value.canonicalText == "[0, 1, true, false, null, -1, 65535]")
    }

    @Test func topLevelScalars() throws {
        #expect(try Self.decode("09 0000000000000080") == .int(.min))
        #expect(try Self.decode("0a ffffffffffffffff") == .uint(.max))
        #expect(try Self.decode("0b 000000000000f83f") == .double(1.5))
        #expect(try Self.decode("0401") == .bool(true))
        #expect(try Self.decode("0400") == .null)
        #expect(try Self.decode("07 feffffff") == .int(-2))
        #expect(try Self.decode("") == .null)
        let long = String(repeating: "z", count: 200)
        #expect(try Self.decode("0c c801" + String(repeating: "7a", count: 200)) == .string(long))
    }

    @Test func emptyContainers() throws {
        #expect(try Self.decode("00 0000 0400") == .object([]))
        #expect(try Self.decode("02 0000 0400").canonicalText == "[]")
        #expect(JSONValue.object([]).canonicalText == "{}")
    }

    @Test func nestedContainersUseOffsetsRelativeToTheirOwnStart() throws {
        // {"k": [true]}: the array starts at offset 12 of the object; its entry is inline.
        let value = try Self.decode("00 0100 1300 0b00 0100 02 0c00 6b 0100 0700 040100")
        #expect(value == .object([JSONMember(key: "k", value: .array([.bool(true)]))]))
        #expect(value.canonicalText == #"{"k": [true]}"#)
    }

    @Test func opaqueValues() throws {
        // DECIMAL(6,3) 123.456, DATE, DATETIME, TIME (from json-opaque.binlog, MySQL 9.0), VARCHAR "U".
        #expect(try Self.decode("0f f6 06 0603807b01c8") == .decimal("123.456"))
        #expect(try Self.decode("0f 0a 08 0000000000e48b19") == .date(MySQLDate(year: 2012, month: 3, day: 18)))
        #expect(
            try Self.decode("0f 0c 08 000000adb7e48b19")
                == .datetime(
                    MySQLDateTime(
                        date: MySQLDate(year: 2012, month: 3, day: 18),
                        hour: 11,
                        minute: 30,
                        second: 45,
                        microseconds: 0,
                        precision: 6
                    )
                )
        )
        #expect(
            try Self.decode("0f 0b 08 f1fb09ee77050000")
                == .time(
                    MySQLTime(
                        isNegative: false,
                        hours: 87,
                        minutes: 31,
                        seconds: 46,
                        microseconds: 654_321,
                        precision: 6
                    )
                )
        )
        #expect(try Self.decode("0f 0f 01 55") == .opaque(type: .varchar, bytes: [0x55]))
    }

    @Test func negativeOpaqueTime() throws {
        // -(1:00:00.5) packed: -((1 << 12) << 24 + 500000)
        let packed = -((Int64(1) << 12) << 24 + 500_000)
        var buffer = RowValueTestSupport.buffer("0f 0b 08")
        buffer.writeInteger(packed, endianness: .little)
        let value = try JSONBinary.decode(buffer)
        #expect(value.canonicalText == #""-01:00:00.500000""#)
    }

    @Test func canonicalTextOfOpaqueAndEscapedValues() {
        #expect(JSONValue.opaque(type: .varchar, bytes: [0x55]).canonicalText == #""base64:type15:VQ==""#)
        #expect(JSONValue.opaque(type: .blob, bytes: [1, 2]).canonicalText == #""base64:type252:AQI=""#)
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").canonicalText == #""a\"b\\c\n\u0001é""#)
        #expect(JSONValue.decimal("-0.50").canonicalText == "-0.50")
        #expect(JSONValue.uint(.max).canonicalText == "18446744073709551615")
    }

    @Test(arguments: [
        (1.5, "1.5"), (1.0, "1.0"), (-0.5, "-0.5"), (0.1, "0.1"), (100.0, "100.0"), (1e300, "1e300"),
        (1e-10, "1e-10"), (0.0001, "0.0001"), (123_456_789_012_345_680.0, "1.2345678901234568e17"),
        (2.5e-7, "2.5e-7"), (0.0, "0.0"),
    ])
    func doublesPrintLikeMySQL(value: Double, text: String) {
        #expect(JSONValue.double(value).canonicalText == text)
    }

    @Test(arguments: [
        "0d00",  // unknown type 13
        "0403",  // unknown literal
        "00 0100 0c00 0a00 0100 05 0100 61",  // key offset 10 points into the 11-byte header
        "02 0100 0700 0c 0900",  // value offset past the container's end
        "02 ffff 0400",  // more elements than bytes
        "0c 02 ff fe",  // string that is not UTF-8
        "0c ffffffffff01",  // variable length longer than 5 bytes
    ])
    func malformedDocumentsThrowMalformed(hex: String) {
        let error = #expect(throws: BinlogDecodingError.self) { try Self.decode(hex) }
        #expect(error?.code == .malformed)
    }

    @Test(arguments: ["00 0100", "02 0100 0900 05", "09 0102", "0c 05 6162", "0f f6 06 0603", "02 0100 0700"])
    func truncatedDocumentsThrowTruncated(hex: String) {
        let error = #expect(throws: BinlogDecodingError.self) { try Self.decode(hex) }
        #expect(error?.code == .truncated)
    }

    @Test func absurdNestingIsRejected() {
        // 200 nested single-element arrays: [[[…[]…]]]
        var document: [UInt8] = [0x00, 0x00, 0x04, 0x00]  // innermost []
        for _ in 0..<200 {
            let size = 7 + document.count
            document = [0x01, 0x00, UInt8(size & 0xFF), UInt8(size >> 8), 0x02, 0x07, 0x00] + document
        }
        let error = #expect(throws: BinlogDecodingError.self) {
            try JSONBinary.decode(ByteBuffer(bytes: [0x02] + document))
        }
        #expect(error?.code == .malformed)
    }
}
