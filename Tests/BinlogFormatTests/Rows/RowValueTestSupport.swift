import NIOCore
import Testing

@testable import BinlogFormat

/// Small builders for the row-value tests.
enum RowValueTestSupport {
    /// The bytes of a hex string (spaces allowed).
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: " ") })
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            bytes.append(Self.nibble(digits[index]) << 4 | Self.nibble(digits[index + 1]))
            index += 2
        }
        return bytes
    }

    static func buffer(_ hex: String) -> ByteBuffer {
        ByteBuffer(bytes: Self.bytes(hex))
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: 0
        }
    }

    /// Decodes one value of `column` from `hex` and checks that every byte was used.
    static func decode(
        _ column: ColumnDescriptor,
        _ hex: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> MySQLValue {
        var buffer = Self.buffer(hex)
        let value = try MySQLValue.decode(column, from: &buffer)
        #expect(buffer.readableBytes == 0, "left \(buffer.readableBytes) bytes", sourceLocation: sourceLocation)
        return value
    }

    /// The verbose text of one value decoded from `hex`.
    static func verbose(_ column: ColumnDescriptor, _ hex: String) throws -> String {
        try Self.decode(column, hex).verboseText(column: column)
    }

    /// Decodes every row of a row-image block (NULL bitmap, then the non-NULL values, repeated), all columns
    /// present, as a WRITE_ROWS event carries them after its column bitmap.
    static func decodeRows(_ columns: [ColumnDescriptor], from buffer: inout ByteBuffer) throws -> [[MySQLValue]] {
        var rows: [[MySQLValue]] = []
        while buffer.readableBytes > 0 {
            let nullBitmap = try buffer.readBytes(length: (columns.count + 7) / 8, field: "null bitmap")
            var row: [MySQLValue] = []
            for (index, column) in columns.enumerated() {
                if nullBitmap[index / 8] & (1 << (index % 8)) != 0 {
                    row.append(.null)
                } else {
                    row.append(try MySQLValue.decode(column, from: &buffer))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Columns from TABLE_MAP type codes and the hex of its metadata block.
    static func columns(types: [UInt8], metadata hex: String) throws -> [ColumnDescriptor] {
        var metadata = Self.buffer(hex)
        let columns = try types.map { code -> ColumnDescriptor in
            let type = ColumnType(rawValue: code)
            return ColumnDescriptor(type: type, metadata: try ColumnDescriptor.readMetadata(for: type, from: &metadata))
        }
        #expect(metadata.readableBytes == 0)
        return columns
    }
}
