import NIOCore
import Testing

@testable import BinlogFormat

/// Temporal values; the bytes are from rows MariaDB 10.11 wrote (see ``MariaDBVerboseTextTests`` for the
/// statements' values as mariadb-binlog printed them).
@Suite struct TemporalValueDecodingTests {
    private static func time(
        _ negative: Bool,
        _ hours: UInt32,
        _ minutes: UInt8,
        _ seconds: UInt8,
        _ microseconds: UInt32 = 0,
        precision: UInt8
    ) -> MySQLValue {
        .time(
            MySQLTime(
                isNegative: negative,
                hours: hours,
                minutes: minutes,
                seconds: seconds,
                microseconds: microseconds,
                precision: precision
            )
        )
    }

    private static func datetime(
        _ year: UInt16,
        _ month: UInt8,
        _ day: UInt8,
        _ hour: UInt8,
        _ minute: UInt8,
        _ second: UInt8,
        _ microseconds: UInt32 = 0,
        precision: UInt8
    ) -> MySQLValue {
        .datetime(
            MySQLDateTime(
                date: MySQLDate(year: year, month: month, day: day),
                hour: hour,
                minute: minute,
                second: second,
                microseconds: microseconds,
                precision: precision
            )
        )
    }

    @Test func dates() throws {
        let column = ColumnDescriptor(type: .date)
        #expect(try RowValueTestSupport.decode(column, "72b80f") == .date(MySQLDate(year: 2012, month: 3, day: 18)))
        #expect(try RowValueTestSupport.decode(column, "000000") == .date(MySQLDate(year: 0, month: 0, day: 0)))
        #expect(try RowValueTestSupport.decode(column, "21d007") == .date(MySQLDate(year: 1000, month: 1, day: 1)))
    }

    @Test(arguments: [
        (UInt16(0), "b46efb", Self.time(false, 838, 59, 59, precision: 0)),
        (0, "4b9105", Self.time(true, 838, 59, 59, precision: 0)),
        (0, "7f3748", Self.time(true, 12, 34, 56, precision: 0)),
        (3, "4b9104d8fa", Self.time(true, 838, 59, 59, 999_000, precision: 3)),
        (3, "8000000000", Self.time(false, 0, 0, 0, precision: 3)),
        (3, "7ffffffff6", Self.time(true, 0, 0, 0, 1000, precision: 3)),
        (6, "7ffffeffffff", Self.time(true, 0, 0, 1, 1, precision: 6)),
        (6, "80000007a120", Self.time(false, 0, 0, 0, 500_000, precision: 6)),
        (6, "80c8b80c0a14", Self.time(false, 12, 34, 56, 789_012, precision: 6)),
        (1, "7fefffce", Self.time(true, 1, 0, 0, 500_000, precision: 1)),
        (1, "8000000a", Self.time(false, 0, 0, 0, 100_000, precision: 1)),
        (1, "7ffffff6", Self.time(true, 0, 0, 0, 100_000, precision: 1)),
    ])
    func time2IncludingNegativeFractions(precision: UInt16, hex: String, expected: MySQLValue) throws {
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .time2, metadata: precision), hex) == expected)
    }

    @Test(arguments: [
        (UInt16(0), "998be4b7ad", Self.datetime(2012, 3, 18, 11, 30, 45, precision: 0)),
        (0, "8000000000", Self.datetime(0, 0, 0, 0, 0, 0, precision: 0)),
        (3, "998be4b7ad04ce", Self.datetime(2012, 3, 18, 11, 30, 45, 123_000, precision: 3)),
        (3, "80000000000000", Self.datetime(0, 0, 0, 0, 0, 0, precision: 3)),
        (3, "9964bb7efb2706", Self.datetime(2000, 2, 29, 23, 59, 59, 999_000, precision: 3)),
        (6, "fef3ff7efb0f423f", Self.datetime(9999, 12, 31, 23, 59, 59, 999_999, precision: 6)),
        (6, "8cb2420000000001", Self.datetime(1000, 1, 1, 0, 0, 0, 1, precision: 6)),
        (6, "9964bb7efb0186a0", Self.datetime(2000, 2, 29, 23, 59, 59, 100_000, precision: 6)),
    ])
    func datetime2WithFractions(precision: UInt16, hex: String, expected: MySQLValue) throws {
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .datetime2, metadata: precision), hex) == expected
        )
    }

    @Test func timestamp2WithFractions() throws {
        let t0 = ColumnDescriptor(type: .timestamp2, metadata: 0)
        let t2 = ColumnDescriptor(type: .timestamp2, metadata: 2)
        let t6 = ColumnDescriptor(type: .timestamp2, metadata: 6)
        #expect(
            try RowValueTestSupport.decode(t0, "4f65c765")
                == .timestamp(seconds: 1_332_070_245, microseconds: 0, precision: 0)
        )
        #expect(
            try RowValueTestSupport.decode(t6, "7fffffff0f423f")
                == .timestamp(seconds: 2_147_483_647, microseconds: 999_999, precision: 6)
        )
        #expect(
            try RowValueTestSupport.decode(t6, "0000000107a120")
                == .timestamp(seconds: 1, microseconds: 500_000, precision: 6)
        )
        #expect(
            try RowValueTestSupport.decode(t2, "3a4fc88001")
                == .timestamp(seconds: 978_307_200, microseconds: 10_000, precision: 2)
        )
    }

    @Test func oldFormats() throws {
        let time = ColumnDescriptor(type: .time)
        #expect(try RowValueTestSupport.decode(time, "590a80") == Self.time(true, 838, 59, 59, precision: 0))
        #expect(try RowValueTestSupport.decode(time, "40e201") == Self.time(false, 12, 34, 56, precision: 0))
        #expect(try RowValueTestSupport.decode(time, "ffffff") == Self.time(true, 0, 0, 1, precision: 0))
        #expect(try RowValueTestSupport.decode(time, "40420f") == Self.time(false, 100, 0, 0, precision: 0))
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .datetime), "15f569a04c120000")
                == Self.datetime(2012, 3, 18, 11, 30, 45, precision: 0)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .timestamp), "65c7654f")
                == .timestamp(seconds: 1_332_070_245, microseconds: 0, precision: 0)
        )
    }

    @Test func years() throws {
        let column = ColumnDescriptor(type: .year)
        #expect(try RowValueTestSupport.decode(column, "ff") == .year(2155))
        #expect(try RowValueTestSupport.decode(column, "01") == .year(1901))
        #expect(try RowValueTestSupport.decode(column, "00") == .year(0))
    }

    @Test(arguments: [
        (ColumnType.time2, UInt16(3), 4), (.datetime2, 6, 7), (.timestamp2, 6, 6), (.time2, 6, 5), (.datetime2, 0, 4),
    ])
    func truncatedFractionsThrow(type: ColumnType, precision: UInt16, available: Int) {
        var buffer = ByteBuffer(repeating: 0x80, count: available)
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: type, metadata: precision), from: &buffer)
        }
        #expect(error?.code == .truncated)
    }

    @Test func impossibleFractionsAndPrecisionsAreMalformed() {
        for (type, precision, hex) in [
            (ColumnType.datetime2, UInt16(6), "998be4b7adffffff"), (.time2, 7, "800000"),
            (.timestamp2, 2, "00000001ff"),
        ] {
            var buffer = RowValueTestSupport.buffer(hex)
            let error = #expect(throws: BinlogDecodingError.self) {
                try MySQLValue.decode(ColumnDescriptor(type: type, metadata: precision), from: &buffer)
            }
            #expect(error?.code == .malformed)
        }
    }
}
