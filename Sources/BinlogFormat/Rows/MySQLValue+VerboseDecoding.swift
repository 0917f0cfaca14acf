import NIOCore

extension MySQLValue {
    /// Decodes one non-NULL value of `column` and appends its verbose text, as
    /// `decode(column, from: &buffer).appendVerboseText(to: &output, column: column)` would, but without
    /// building the value: strings and BLOBs are quoted straight from the row image and DECIMAL digits are
    /// written straight into `output` (no allocation per value).
    ///
    /// - Parameters:
    ///   - column: The column's TABLE_MAP description.
    ///   - buffer: The row image, positioned at the value; advanced past it.
    ///   - output: Where the text goes (mariadb-binlog's exact bytes, see ``appendVerboseText(to:column:)``).
    /// - Throws: ``BinlogDecodingError`` as ``decode(_:from:)`` does; `output` may then hold a partial value.
    package static func appendVerboseText(
        decoding column: ColumnDescriptor,
        from buffer: inout ByteBuffer,
        to output: inout [UInt8]
    ) throws {
        do {
            switch column.type.rawValue {
            case 15, 253:  // VARCHAR, VAR_STRING
                try Self.appendQuoted(
                    from: &buffer,
                    lengthByteCount: column.metadata > 255 ? 2 : 1,
                    field: "VARCHAR value",
                    to: &output
                )
            case 254 where column.realType == .string:  // CHAR, BINARY
                try Self.appendQuoted(
                    from: &buffer,
                    lengthByteCount: column.realMaxLength > 255 ? 2 : 1,
                    field: "CHAR value",
                    to: &output
                )
            case 249...252, 255:  // BLOB, TEXT, GEOMETRY
                try Self.appendQuoted(
                    from: &buffer,
                    lengthByteCount: Int(column.metadata),
                    field: "BLOB value",
                    to: &output
                )
            case 246:  // NEWDECIMAL
                try DecimalBinary.append(
                    precision: Int(column.metadata >> 8),
                    scale: Int(column.metadata & 0xFF),
                    from: &buffer,
                    to: &output
                )
            case 1, 2, 3, 8, 9:  // integers: the bits are all mariadb-binlog looks at
                let size: Int
                switch column.type.rawValue {
                case 1: size = 1  // TINY
                case 2: size = 2  // SHORT
                case 9: size = 3  // INT24
                case 3: size = 4  // LONG
                default: size = 8  // LONGLONG
                }
                let bits = try buffer.readLittleEndianUInt(byteCount: size, field: "integer value")
                Self.appendIntegerVerbose(bits, column: column, to: &output)
            default:
                try Self.decodeValue(column, from: &buffer).appendVerboseText(to: &output, column: column)
            }
        } catch var error as BinlogDecodingError {
            error.reason = "\(column.type) column: \(error.reason)"
            throw error
        }
    }

    private static func appendQuoted(
        from buffer: inout ByteBuffer,
        lengthByteCount: Int,
        field: StaticString,
        to output: inout [UInt8]
    ) throws {
        guard (1...4).contains(lengthByteCount) else {
            throw BinlogDecodingError.malformed(
                field,
                reason: "length prefix of \(lengthByteCount) bytes is not 1...4"
            )
        }
        let length = Int(try buffer.readLittleEndianUInt(byteCount: lengthByteCount, field: field))
        guard buffer.readableBytes >= length else {
            throw BinlogDecodingError.truncated(
                field,
                needed: length,
                available: buffer.readableBytes,
                file: #fileID,
                line: #line
            )
        }
        buffer.withUnsafeReadableBytes { raw in
            Self.appendQuoted(
                UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<length]),
                to: &output
            )
        }
        buffer.moveReaderIndex(forwardBy: length)
    }
}
