import NIOCore

extension ColumnDescriptor {
    /// Reads one column's entry of the TABLE_MAP metadata block (`Table_map_log_event::m_field_metadata`).
    ///
    /// Each type stores 0, 1 or 2 bytes, and the two-byte entries do not share a byte order:
    ///
    ///     type                                        bytes  word returned
    ///     FLOAT DOUBLE BLOB* GEOMETRY JSON VECTOR       1    the byte (value or length-prefix size)
    ///     TIME2 DATETIME2 TIMESTAMP2                     1    fractional-second precision (0...6)
    ///     BLOB_COMPRESSED (MariaDB 141)                  1    length-prefix size
    ///     VARCHAR VAR_STRING VARCHAR_COMPRESSED (140)    2    little-endian max length in bytes
    ///     BIT                                            2    little-endian: bits % 8, then bytes → bytes << 8 | bits
    ///     NEWDECIMAL                                     2    precision, then scale → precision << 8 | scale
    ///     STRING ENUM SET                                2    real type, then length → real type << 8 | length
    ///     TYPED_ARRAY                                    1+n  element type, then that type's entry (returned)
    ///     integers, DATE, TIME, DATETIME, TIMESTAMP,     0    0
    ///     YEAR, NEWDATE, NULL, old DECIMAL
    ///
    /// - Parameters:
    ///   - type: The column's type code from the TABLE_MAP column-type array.
    ///   - buffer: The metadata block, positioned at this column's entry; advanced past it.
    /// - Returns: The metadata word as ``ColumnDescriptor/metadata`` keeps it.
    /// - Throws: ``BinlogDecodingError`` `.truncated` when the block ends early, `.unsupported` for a type code
    ///   whose metadata size is unknown (the rest of the block could not be located).
    package static func readMetadata(for type: ColumnType, from buffer: inout ByteBuffer) throws -> UInt16 {
        switch type {
        case .float, .double, .blob, .tinyBlob, .mediumBlob, .longBlob, .geometry, .json, .vector,
            .time2, .datetime2, .timestamp2, .blobCompressed:
            return UInt16(try buffer.readLittleEndian(UInt8.self, field: "column metadata"))
        case .varchar, .varString, .bit, .varcharCompressed:
            return try buffer.readLittleEndian(UInt16.self, field: "column metadata")
        case .newdecimal, .string, .enum, .set:
            return try buffer.readBigEndian(UInt16.self, field: "column metadata")
        case .typedArray:
            let elementType = ColumnType(rawValue: try buffer.readLittleEndian(UInt8.self, field: "column metadata"))
            guard elementType != .typedArray else {
                throw BinlogDecodingError.malformed("column metadata", reason: "nested TYPED_ARRAY")
            }
            return try Self.readMetadata(for: elementType, from: &buffer)
        case .decimal, .tiny, .short, .long, .null, .timestamp, .longlong, .int24, .date, .time, .datetime, .year,
            .newdate, .bool:
            return 0
        default:
            throw BinlogDecodingError(
                code: .unsupported,
                reason: "column metadata: unknown column type \(type) has no known metadata size"
            )
        }
    }

    /// The type a row image really stores for this column.
    ///
    /// TABLE_MAP writes CHAR, BINARY, ENUM and SET all as ``ColumnType/string`` and keeps the real type in the
    /// metadata's high byte. Because CHAR may be up to 255 characters × 4 bytes, MySQL folds bits 8 and 9 of the
    /// byte length into that type byte (inverted, in bits 4 and 5): a real type without both bits set means the
    /// type is `byte | 0x30` and the length gets `((byte & 0x30) ^ 0x30) << 4` added. Other types are returned
    /// unchanged.
    package var realType: ColumnType {
        guard self.type == .string || self.type == .enum || self.type == .set, self.metadata != 0 else {
            return self.type
        }
        let typeByte = UInt8(truncatingIfNeeded: self.metadata >> 8)
        let real = typeByte & 0x30 == 0x30 ? typeByte : typeByte | 0x30
        switch ColumnType(rawValue: real) {
        case .enum: return .enum
        case .set: return .set
        default: return .string
        }
    }

    /// For ``realType`` STRING: the column's maximum length in bytes (0...1020), with the folded high bits.
    /// For ENUM and SET: their storage size in bytes (1...2 and 1...8).
    package var realMaxLength: Int {
        let typeByte = Int(self.metadata >> 8)
        let lengthByte = Int(self.metadata & 0xFF)
        guard typeByte & 0x30 != 0x30 else { return lengthByte }
        return lengthByte | (((typeByte & 0x30) ^ 0x30) << 4)
    }
}
