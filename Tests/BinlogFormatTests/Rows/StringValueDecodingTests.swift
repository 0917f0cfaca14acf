import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct StringValueDecodingTests {
    private static let utf8mb4: UInt32 = 45

    @Test func varcharLengthPrefixDependsOnMaxLength() throws {
        let short = ColumnDescriptor(type: .varchar, metadata: 255, collation: Self.utf8mb4)
        let long = ColumnDescriptor(type: .varchar, metadata: 256, collation: Self.utf8mb4)
        #expect(try RowValueTestSupport.decode(short, "03616263") == .string(Array("abc".utf8), collation: 45))
        #expect(try RowValueTestSupport.decode(long, "0300616263") == .string(Array("abc".utf8), collation: 45))
        #expect(try RowValueTestSupport.decode(short, "00") == .string([], collation: 45))
    }

    @Test func charUsesTheRealMaxLength() throws {
        // CHAR(100) utf8mb4: 400 bytes, so two length bytes (TABLE_MAP metadata 0xEE90).
        let wide = ColumnDescriptor(type: .string, metadata: 0xEE90)
        #expect(try RowValueTestSupport.decode(wide, "0200c3bc") == .string([0xC3, 0xBC], collation: nil))
        let narrow = ColumnDescriptor(type: .string, metadata: 0xFE0A, collation: 8)
        #expect(
            try RowValueTestSupport.decode(narrow, "04636166e9") == .string(Array("caf".utf8) + [0xE9], collation: 8)
        )
    }

    @Test func enumAndSet() throws {
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .string, metadata: 0xF701), "02") == .enumeration(2)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .string, metadata: 0xF702), "0301")
                == .enumeration(259)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .string, metadata: 0xF802), "0501") == .set(0x105)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .string, metadata: 0xF808), "0102030405060780")
                == .set(0x8007_0605_0403_0201)
        )
    }

    @Test func enumWithImpossibleSizeIsMalformed() {
        var buffer = RowValueTestSupport.buffer("010203")
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: .string, metadata: 0xF703), from: &buffer)
        }
        #expect(error?.code == .malformed)
    }

    @Test func bitValuesAreBigEndianBytes() throws {
        // BIT(1), BIT(7), BIT(17) (metadata bytes << 8 | bits), BIT(64)
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .bit, metadata: 0x0001), "01")
                == .bit([1], bitCount: 1)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .bit, metadata: 0x0007), "55")
                == .bit([0x55], bitCount: 7)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .bit, metadata: 0x0201), "010001")
                == .bit([1, 0, 1], bitCount: 17)
        )
        #expect(
            try RowValueTestSupport.decode(ColumnDescriptor(type: .bit, metadata: 0x0800), "ffffffffffffffff")
                == .bit(Array(repeating: 0xFF, count: 8), bitCount: 64)
        )
    }

    @Test func blobsUseTheMetadataLengthSize() throws {
        for (size, prefix) in [(1, "04"), (2, "0400"), (3, "040000"), (4, "04000000")] {
            let column = ColumnDescriptor(type: .blob, metadata: UInt16(size), collation: 63)
            #expect(
                try RowValueTestSupport.decode(column, prefix + "deadbeef")
                    == .string([0xDE, 0xAD, 0xBE, 0xEF], collation: 63)
            )
        }
    }

    @Test func geometryKeepsItsBytes() throws {
        // POINT(3 4) as MariaDB wrote it: SRID 0, then WKB.
        let hex = "19000000" + "00000000" + "0101000000" + "0000000000000840" + "0000000000001040"
        let value = try RowValueTestSupport.decode(ColumnDescriptor(type: .geometry, metadata: 4), hex)
        #expect(value == .geometry(RowValueTestSupport.bytes(String(hex.dropFirst(8)))))
    }

    @Test func vectorsAreLittleEndianFloats() throws {
        let column = ColumnDescriptor(type: .vector, metadata: 4)
        #expect(
            try RowValueTestSupport.decode(column, "0c000000" + "0000803f" + "000080bf" + "00000000")
                == .vector([1, -1, 0])
        )
        var odd = RowValueTestSupport.buffer("03000000000080")
        let error = #expect(throws: BinlogDecodingError.self) { try MySQLValue.decode(column, from: &odd) }
        #expect(error?.code == .malformed)
    }

    @Test func emptyJSONIsNull() throws {
        #expect(try RowValueTestSupport.decode(ColumnDescriptor(type: .json, metadata: 4), "00000000") == .json(.null))
    }

    @Test func mariaDBCompressedColumns() throws {
        // From MariaDB 10.11: VARCHAR(100) COMPRESSED (type 141, metadata 101) stored uncompressed (header 0),
        // BLOB COMPRESSED (type 140, 2 length bytes) holding REPEAT('abc', 100) as raw deflate (header 0x8A).
        let varchar = ColumnDescriptor(type: .varcharCompressed, metadata: 101, collation: 8)
        #expect(
            try RowValueTestSupport.decode(varchar, "110068656c6c6f20636f6d70726573736564")
                == .string(Array("hello compressed".utf8), collation: 8)
        )
        #expect(try RowValueTestSupport.decode(varchar, "00") == .string([], collation: 8))
        let blob = ColumnDescriptor(type: .blobCompressed, metadata: 2, collation: 63)
        #expect(
            try RowValueTestSupport.decode(blob, "0c008a012c4b4c4a4e1c45c42100")
                == .string(Array(String(repeating: "abc", count: 100).utf8), collation: 63)
        )
    }

    @Test func zlibWrappedCompressedValue() throws {
        // Header 0x81 (zlib stream with header, one length byte), original length 3: "abc" deflated by zlib.
        let blob = ColumnDescriptor(type: .blobCompressed, metadata: 1)
        #expect(
            try RowValueTestSupport.decode(blob, "0d" + "8103" + "789c4b4c4a0600024d0127")
                == .string(Array("abc".utf8), collation: nil)
        )
    }

    @Test func corruptCompressedValuesThrow() {
        let blob = ColumnDescriptor(type: .blobCompressed, metadata: 1)
        for (hex, code) in [
            ("03" + "8a0010", BinlogDecodingError.Code.decompression),  // no deflate data
            ("02" + "0a01", .malformed),  // header without the compressed bit
            ("03" + "9a0100", .unsupported),  // algorithm 1
            ("02" + "8801", .malformed),  // zero length bytes
        ] {
            var buffer = RowValueTestSupport.buffer(hex)
            let error = #expect(throws: BinlogDecodingError.self) { try MySQLValue.decode(blob, from: &buffer) }
            #expect(error?.code == code, "\(hex)")
        }
    }

    @Test(arguments: [
        (ColumnDescriptor(type: .varchar, metadata: 10), "05616263"),
        (ColumnDescriptor(type: .varchar, metadata: 300), "05"),
        (ColumnDescriptor(type: .string, metadata: 0xFE0A), "0a61"),
        (ColumnDescriptor(type: .string, metadata: 0xF802), "01"),
        (ColumnDescriptor(type: .blob, metadata: 4), "ffffffff00"),
        (ColumnDescriptor(type: .json, metadata: 4), "1000"),
        (ColumnDescriptor(type: .bit, metadata: 0x0800), "ffff"),
        (ColumnDescriptor(type: .geometry, metadata: 4), ""),
        (ColumnDescriptor(type: .varcharCompressed, metadata: 101), "09"),
    ])
    func truncatedValuesThrowTruncated(column: ColumnDescriptor, hex: String) {
        var buffer = RowValueTestSupport.buffer(hex)
        let error = #expect(throws: BinlogDecodingError.self) { try MySQLValue.decode(column, from: &buffer) }
        #expect(error?.code == .truncated)
        #expect(error?.reason.contains("\(column.type)") == true)
    }

    @Test func unknownColumnTypeIsUnsupported() {
        var buffer = RowValueTestSupport.buffer("00")
        let error = #expect(throws: BinlogDecodingError.self) {
            try MySQLValue.decode(ColumnDescriptor(type: ColumnType(rawValue: 99)), from: &buffer)
        }
        #expect(error?.code == .unsupported)
        #expect(error?.reason.contains("type 99") == true)
    }
}
