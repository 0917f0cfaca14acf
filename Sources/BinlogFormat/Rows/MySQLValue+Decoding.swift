import NIOCore

extension MySQLValue {
    /// Decodes one non-NULL value of `column` from a row image (the caller has consulted the NULL bitmap).
    ///
    /// Sizes and formats per type (all integers little-endian unless noted):
    ///
    ///     TINY SHORT INT24 LONG LONGLONG   1 2 3 4 8 bytes; ``signed(_:)`` unless the column is known UNSIGNED
    ///     FLOAT DOUBLE                     4 / 8 bytes IEEE 754
    ///     NEWDECIMAL                       ``DecimalBinary`` with the metadata's precision and scale
    ///     YEAR                             1 byte, + 1900 (0 stays 0)
    ///     DATE TIME DATETIME TIMESTAMP     3 3 8 4 bytes, pre-5.6 formats (``TemporalBinary``)
    ///     TIME2 DATETIME2 TIMESTAMP2       3 5 4 bytes big-endian + (fsp + 1) / 2 fraction bytes
    ///     VARCHAR VAR_STRING               1 length byte if the max length (metadata) is < 256, else 2
    ///     STRING (CHAR BINARY)             like VARCHAR, with the real max length (``ColumnDescriptor/realMaxLength``)
    ///     ENUM / SET (in STRING)           1-2 / 1-8 bytes index or bitmask
    ///     BIT(n)                           (n + 7) / 8 bytes big-endian
    ///     BLOB TEXT GEOMETRY JSON VECTOR   1-4 length bytes (metadata), then the bytes
    ///     VARCHAR/BLOB COMPRESSED          as VARCHAR/BLOB, then ``CompressedColumnValue``
    ///
    /// - Parameters:
    ///   - column: The column's TABLE_MAP description.
    ///   - buffer: The row image, positioned at the value; advanced past it.
    /// - Returns: The value, lossless.
    /// - Throws: ``BinlogDecodingError``: `.truncated` if the image ends inside the value, `.malformed` for
    ///   impossible bytes or metadata, `.unsupported` for a column type without a row format (old DECIMAL,
    ///   unknown codes). The reason names the column type.
    package static func decode(_ column: ColumnDescriptor, from buffer: inout ByteBuffer) throws -> MySQLValue {
        do {
            return try Self.decodeValue(column, from: &buffer)
        } catch var error as BinlogDecodingError {
            error.reason = "\(column.type) column: \(error.reason)"
            throw error
        }
    }

    /// ``decode(_:from:)`` without the column type added to errors.
    static func decodeValue(_ column: ColumnDescriptor, from buffer: inout ByteBuffer) throws -> MySQLValue {
        let isUnsigned = column.isUnsigned == true
        // A switch over the raw code compiles to a jump table (matching `ColumnType` statics would compare one by one).
        switch column.type.rawValue {
        case 1:  // TINY
            let raw = try buffer.readLittleEndian(UInt8.self, field: "TINYINT value")
            return isUnsigned ? .unsigned(UInt64(raw)) : .signed(Int64(Int8(bitPattern: raw)))
        case 2:  // SHORT
            let raw = try buffer.readLittleEndian(UInt16.self, field: "SMALLINT value")
            return isUnsigned ? .unsigned(UInt64(raw)) : .signed(Int64(Int16(bitPattern: raw)))
        case 9:  // INT24
            let raw = try buffer.readLittleEndianUInt(byteCount: 3, field: "MEDIUMINT value")
            return isUnsigned ? .unsigned(raw) : .signed(Int64(bitPattern: raw << 40) >> 40)
        case 3:  // LONG
            let raw = try buffer.readLittleEndian(UInt32.self, field: "INT value")
            return isUnsigned ? .unsigned(UInt64(raw)) : .signed(Int64(Int32(bitPattern: raw)))
        case 8:  // LONGLONG
            let raw = try buffer.readLittleEndian(UInt64.self, field: "BIGINT value")
            return isUnsigned ? .unsigned(raw) : .signed(Int64(bitPattern: raw))
        case 4:  // FLOAT
            return .float(Float(bitPattern: try buffer.readLittleEndian(UInt32.self, field: "FLOAT value")))
        case 5:  // DOUBLE
            return .double(Double(bitPattern: try buffer.readLittleEndian(UInt64.self, field: "DOUBLE value")))
        case 246:  // NEWDECIMAL
            let precision = Int(column.metadata >> 8)
            let scale = Int(column.metadata & 0xFF)
            return .decimal(try DecimalBinary.decode(precision: precision, scale: scale, from: &buffer))
        case 13:  // YEAR
            let raw = try buffer.readLittleEndian(UInt8.self, field: "YEAR value")
            return .year(raw == 0 ? 0 : 1900 + UInt16(raw))
        case 10, 14:  // DATE, NEWDATE
            return .date(try TemporalBinary.date(from: &buffer))
        case 11:  // TIME
            return .time(try TemporalBinary.time(from: &buffer))
        case 12:  // DATETIME
            return .datetime(try TemporalBinary.datetime(from: &buffer))
        case 7:  // TIMESTAMP
            let seconds = try buffer.readLittleEndian(UInt32.self, field: "TIMESTAMP value")
            return .timestamp(seconds: seconds, microseconds: 0, precision: 0)
        case 19:  // TIME2
            return .time(try TemporalBinary.time2(precision: Self.precision(column), from: &buffer))
        case 18:  // DATETIME2
            return .datetime(try TemporalBinary.datetime2(precision: Self.precision(column), from: &buffer))
        case 17:  // TIMESTAMP2
            return try TemporalBinary.timestamp2(precision: Self.precision(column), from: &buffer)
        case 15, 253:  // VARCHAR, VAR_STRING
            let bytes = try buffer.readLengthPrefixedBytes(
                lengthByteCount: column.metadata > 255 ? 2 : 1,
                field: "VARCHAR value"
            )
            return .string(bytes, collation: column.collation)
        case 254, 247, 248:  // STRING, ENUM, SET
            return try Self.decodeString(column, from: &buffer)
        case 16:  // BIT
            let bitCount = Int(column.metadata >> 8) * 8 + Int(column.metadata & 0xFF)
            let bytes = try buffer.readBytes(length: (bitCount + 7) / 8, field: "BIT value")
            return .bit(bytes, bitCount: bitCount)
        case 249...252:  // TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB
            let bytes = try buffer.readLengthPrefixedBytes(
                lengthByteCount: Int(column.metadata),
                field: "BLOB value"
            )
            return .string(bytes, collation: column.collation)
        case 255:  // GEOMETRY
            let bytes = try buffer.readLengthPrefixedBytes(
                lengthByteCount: Int(column.metadata),
                field: "GEOMETRY value"
            )
            return .geometry(bytes)
        case 245:  // JSON
            let document = try buffer.readLengthPrefixedSlice(
                lengthByteCount: Int(column.metadata),
                field: "JSON value"
            )
            return .json(try JSONBinary.decode(document))
        case 242:  // VECTOR
            var payload = try buffer.readLengthPrefixedSlice(
                lengthByteCount: Int(column.metadata),
                field: "VECTOR value"
            )
            guard payload.readableBytes % 4 == 0 else {
                throw BinlogDecodingError.malformed(
                    "VECTOR value",
                    reason: "\(payload.readableBytes) bytes is not a whole number of floats"
                )
            }
            var floats: [Float] = []
            floats.reserveCapacity(payload.readableBytes / 4)
            while payload.readableBytes > 0 {
                floats.append(Float(bitPattern: try payload.readLittleEndian(UInt32.self, field: "VECTOR value")))
            }
            return .vector(floats)
        case 141:  // MariaDB VARCHAR_COMPRESSED
            let payload = try buffer.readLengthPrefixedSlice(
                lengthByteCount: column.metadata > 255 ? 2 : 1,
                field: "VARCHAR COMPRESSED value"
            )
            return .string(try CompressedColumnValue.decompress(payload), collation: column.collation)
        case 140:  // MariaDB BLOB_COMPRESSED
            let payload = try buffer.readLengthPrefixedSlice(
                lengthByteCount: Int(column.metadata),
                field: "BLOB COMPRESSED value"
            )
            return .string(try CompressedColumnValue.decompress(payload), collation: column.collation)
        default:
            throw BinlogDecodingError(code: .unsupported, reason: "no row value format is known for this type")
        }
    }

    /// CHAR/BINARY, ENUM and SET, which TABLE_MAP all calls STRING.
    private static func decodeString(_ column: ColumnDescriptor, from buffer: inout ByteBuffer) throws -> MySQLValue {
        switch column.realType {
        case .enum:
            let size = column.realMaxLength
            guard size == 1 || size == 2 else {
                throw BinlogDecodingError.malformed("ENUM value", reason: "storage size \(size) is not 1 or 2")
            }
            let raw = try buffer.readLittleEndianUInt(byteCount: size, field: "ENUM value")
            return .enumeration(UInt16(truncatingIfNeeded: raw))
        case .set:
            let size = column.realMaxLength
            guard (1...8).contains(size) else {
                throw BinlogDecodingError.malformed("SET value", reason: "storage size \(size) is not 1...8")
            }
            return .set(try buffer.readLittleEndianUInt(byteCount: size, field: "SET value"))
        default:
            let bytes = try buffer.readLengthPrefixedBytes(
                lengthByteCount: column.realMaxLength > 255 ? 2 : 1,
                field: "CHAR value"
            )
            return .string(bytes, collation: column.collation)
        }
    }

    private static func precision(_ column: ColumnDescriptor) -> UInt8 {
        UInt8(truncatingIfNeeded: column.metadata)
    }
}
