import NIOCore
import Testing

@testable import BinlogFormat

@Suite struct ColumnMetadataTests {
    @Test func readsEachTypesMetadataWithItsByteOrder() throws {
        // From a MariaDB 10.11 TABLE_MAP: CHAR(10), VARCHAR(10), VARCHAR(300), BINARY(4), VARBINARY(10), TEXT,
        // BLOB, TINYBLOB, MEDIUMTEXT, LONGBLOB, CHAR(100) utf8mb4, CHAR(10) latin1, CHAR(255) utf8mb4.
        let columns = try RowValueTestSupport.columns(
            types: [254, 15, 15, 254, 15, 252, 252, 252, 252, 252, 254, 254, 254],
            metadata: "fe0a0a002c01fe040a000202010304ee90fe0acefc"
        )
        #expect(columns.map(\.metadata) == [0xFE0A, 10, 300, 0xFE04, 10, 2, 2, 1, 3, 4, 0xEE90, 0xFE0A, 0xCEFC])
        #expect(
            columns.map(\.realType) == [
                .string, .varchar, .varchar, .string, .varchar, .blob, .blob, .blob, .blob, .blob, .string, .string,
                .string,
            ]
        )
        #expect(columns[10].realMaxLength == 400)
        #expect(columns[12].realMaxLength == 1020)
        #expect(columns[0].realMaxLength == 10)
    }

    @Test func decimalAndTemporalMetadata() throws {
        // DECIMAL(10,4), (65,30), (5,0), (3,2), (18,9), (20,0)
        let decimals = try RowValueTestSupport.columns(
            types: Array(repeating: 246, count: 6),
            metadata: "0a04411e0500030212091400"
        )
        #expect(decimals.map(\.metadata) == [0x0A04, 0x411E, 0x0500, 0x0302, 0x1209, 0x1400])
        // DATE, TIME, TIME(3), TIME(6), DATETIME, DATETIME(3), DATETIME(6), TIMESTAMP, TIMESTAMP(6), YEAR,
        // TIME(1), TIMESTAMP(2)
        let temporal = try RowValueTestSupport.columns(
            types: [10, 19, 19, 19, 18, 18, 18, 17, 17, 13, 19, 17],
            metadata: "00030600030600060102"
        )
        #expect(temporal.map(\.metadata) == [0, 0, 3, 6, 0, 3, 6, 0, 6, 0, 1, 2])
    }

    @Test func enumSetAndBitMetadata() throws {
        // ENUM('x','y','z'), SET of 9, BIT(1), BIT(7), BIT(17), BIT(64), ENUM NOT NULL
        let columns = try RowValueTestSupport.columns(
            types: [254, 254, 16, 16, 16, 16, 254],
            metadata: "f701f8020100070001020008f701"
        )
        #expect(columns.map(\.realType) == [.enum, .set, .bit, .bit, .bit, .bit, .enum])
        #expect(columns.map(\.metadata) == [0xF701, 0xF802, 0x0001, 0x0007, 0x0201, 0x0800, 0xF701])
        #expect(columns[1].realMaxLength == 2)
    }

    @Test func oneByteTypesIncludingMySQLAndMariaDBExtensions() throws {
        // FLOAT, DOUBLE, JSON, GEOMETRY, VECTOR, BLOB_COMPRESSED; then VARCHAR_COMPRESSED (2 bytes LE)
        let columns = try RowValueTestSupport.columns(
            types: [4, 5, 245, 255, 242, 140, 141],
            metadata: "0408040404026500"
        )
        #expect(columns.map(\.metadata) == [4, 8, 4, 4, 4, 2, 101])
    }

    @Test func typesWithoutMetadataReadNothing() throws {
        let columns = try RowValueTestSupport.columns(types: [1, 2, 3, 8, 9, 10, 11, 12, 7, 13, 6], metadata: "")
        #expect(columns.allSatisfy { $0.metadata == 0 })
    }

    @Test func typedArrayReadsItsElementTypesMetadata() throws {
        // TYPED_ARRAY of VARCHAR(300): element type, then the VARCHAR's two bytes.
        var buffer = RowValueTestSupport.buffer("0f2c01")
        #expect(try ColumnDescriptor.readMetadata(for: .typedArray, from: &buffer) == 300)
        #expect(buffer.readableBytes == 0)
        var nested = RowValueTestSupport.buffer("1414")
        let error = #expect(throws: BinlogDecodingError.self) {
            try ColumnDescriptor.readMetadata(for: .typedArray, from: &nested)
        }
        #expect(error?.code == .malformed)
    }

    @Test func truncatedMetadataThrows() {
        var buffer = RowValueTestSupport.buffer("0a")
        let error = #expect(throws: BinlogDecodingError.self) {
            try ColumnDescriptor.readMetadata(for: .newdecimal, from: &buffer)
        }
        #expect(error?.code == .truncated)
    }

    @Test func unknownTypeIsUnsupported() {
        var buffer = RowValueTestSupport.buffer("00")
        let error = #expect(throws: BinlogDecodingError.self) {
            try ColumnDescriptor.readMetadata(for: ColumnType(rawValue: 200), from: &buffer)
        }
        #expect(error?.code == .unsupported)
    }

    @Test func realTypeFoldsLengthBitsIntoTheTypeByte() {
        // CHAR(255) in utf8mb4 = 1020 bytes: 0xFE with bits 4-5 cleared to carry 0x300.
        let column = ColumnDescriptor(type: .string, metadata: 0xCEFC)
        #expect(column.realType == .string)
        #expect(column.realMaxLength == 1020)
        #expect(ColumnDescriptor(type: .string, metadata: 0xF802).realType == .set)
        #expect(ColumnDescriptor(type: .long).realType == .long)
    }
}
