import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct NumericValueDecodingTests {
    @Test func integersAreSignedUnlessKnownUnsigned() throws {
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .tiny), "ff") == .signed(-1))
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .tiny, isUnsigned: true), "ff") == .unsigned(255))
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .short), "0080") == .signed(-32768))
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .int24), "000080") == .signed(-8_388_608))
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .int24), "ffff7f") == .signed(8_388_607))
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .int24, isUnsigned: true), "ffffff")
                == .unsigned(16_777_215)
        )
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .long), "00000080") == .signed(-2_147_483_648))
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .long, isUnsigned: true), "ffffffff")
                == .unsigned(4_294_967_295)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .longlong), "0000000000000080") == .signed(.min)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .longlong, isUnsigned: true), "ffffffffffffffff")
                == .unsigned(.max)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .longlong, isUnsigned: false), "0100000000000000")
                == .signed(1)
        )
    }

    @Test func floatsAndDoubles() throws {
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .float, metadata: 4), "0000c03f") == .float(1.5))
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .double, metadata: 8), "9a9999999999f1bf")
                == .double(-1.1)
        )
    }

    @Test(arguments: [
        // (precision, scale, hex, text): bytes written by MariaDB 10.11 for these values
        (10, 4, "7fff84ee6b", "-123.4500"),
        (10, 4, "8000000000", "0.0000"),
        (10, 4, "8f423f270f", "999999.9999"),
        (65, 30, "800000000000000000000000000000011dcd650000000000000000000000", "1.500000000000000000000000000000"),
        (
            65, 30, "7a0a1f00c4653600c4653600c4653600c4653600c4653600c4653600fc18",
            "-99999999999999999999999999999999999.999999999999999999999999999999"
        ),
        (5, 0, "7e7960", "-99999"),
        (5, 0, "800000", "0"),
        (3, 2, "8000", "0.00"),
        (3, 2, "7ecd", "-1.50"),
        (3, 2, "8001", "0.01"),
        (18, 9, "7ffffffffffffffe", "-0.000000001"),
        (18, 9, "875bcd15075bcd15", "123456789.123456789"),
        (20, 0, "8c149aa4350dfb38d2", "12345678901234567890"),
        (20, 0, "7ffffffffffffffffe", "-1"),
        (18, 9, "8000000000000000", "0.000000000"),
        (14, 4, "810dfb38d204d2", "1234567890.1234"),
        (3, 3, "807b", "0.123"),
    ])
    func newDecimal(precision: Int, scale: Int, hex: String, text: String) throws {
        let column = ColumnDescriptor(type: .newdecimal, metadata: UInt16(precision << 8 | scale))
        #expect(try RowValueTestSupport.decode(column, hex) == .decimal(text))
    }

    @Test func decimalWithTooLargeGroupIsMalformed() {
        // DECIMAL(18,9) whose integer group holds 999999999 + 1.
        let column = ColumnDescriptor(type: .newdecimal, metadata: 0x1209)
        var buffer = RowValueTestSupport.buffer("bb9aca00 00000000")
        let error = #expect(throws: BinlogDecodingError.self) { try MySQLValue.decode(column, from: &buffer) }
        #expect(error?.code == .malformed)
    }

    @Test func decimalWithImpossibleMetadataIsMalformed() {
        var buffer = RowValueTestSupport.buffer("80")
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: .newdecimal, metadata: 0x0203), from: &buffer)
        }
        #expect(error?.code == .malformed)
    }

    @Test func oldDecimalIsUnsupported() {
        var buffer = RowValueTestSupport.buffer("3132")
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: .decimal), from: &buffer)
        }
        #expect(error?.code == .unsupported)
        #expect(error?.reason.contains("DECIMAL(old)") == true)
    }

    @Test(arguments: [
        (ColumnType.tiny, 0), (.short, 1), (.int24, 2), (.long, 3), (.longlong, 7), (.float, 3), (.double, 7),
        (.year, 0), (.date, 2), (.time, 2), (.datetime, 7), (.timestamp, 3),
    ])
    func truncatedFixedSizeValuesThrow(type: ColumnType, available: Int) {
        var buffer = ByteBuffer(repeating: 0, count: available)
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: type, metadata: 4), from: &buffer)
        }
        #expect(error?.code == .truncated)
        #expect(error?.reason.hasPrefix("\(type) column") == true)
    }

    @Test(arguments: 0..<8)
    func truncatedDecimalThrows(available: Int) {
        var buffer = ByteBuffer(repeating: 0x80, count: available)
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: .newdecimal, metadata: 0x1209), from: &buffer)
        }
        #expect(error?.code == .truncated)
    }
}
