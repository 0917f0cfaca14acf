import NIOCore

/// The optional metadata at the end of a TABLE_MAP event (`binlog_row_metadata=MINIMAL|FULL`, MySQL ≥ 8.0.1,
/// MariaDB ≥ 10.5): type (1), length (lenenc), value — repeated to the end of the event.
///
/// Bitmaps here are most-significant-bit first, and "numeric", "character" and "enum/set" fields count only
/// the columns of that kind.
enum OptionalMetadata {
    /// Field types (`Table_map_event::Optional_metadata_field_type`).
    enum FieldType: UInt8 {
        case signedness = 1
        case defaultCharset
        case columnCharset
        case columnName
        case setStrValue
        case enumStrValue
        case geometryType
        case simplePrimaryKey
        case primaryKeyWithPrefix
        case enumAndSetDefaultCharset
        case enumAndSetColumnCharset
        case columnVisibility
        case vectorDimensionality
    }

    static func isNumeric(_ column: ColumnDescriptor) -> Bool {
        switch column.type {
        case .tiny, .short, .int24, .long, .longlong, .float, .double, .newdecimal, .decimal: true
        default: false
        }
    }

    static func isEnumOrSet(_ column: ColumnDescriptor) -> Bool {
        let real = column.realType
        return real == .enum || real == .set
    }

    static func isCharacter(_ column: ColumnDescriptor) -> Bool {
        switch column.type {
        case .varchar, .varString, .blob, .tinyBlob, .mediumBlob, .longBlob, .varcharCompressed, .blobCompressed:
            return true
        case .string:
            return !isEnumOrSet(column)
        default:
            return false
        }
    }

    /// Reads every TLV, applies what it knows to `columns`, and returns the field types seen.
    static func apply(from body: inout ByteBuffer, to columns: inout [ColumnDescriptor]) throws -> [UInt8] {
        var seen: [UInt8] = []
        let numeric = columns.indices.filter { isNumeric(columns[$0]) }
        let character = columns.indices.filter { isCharacter(columns[$0]) }
        let enumSet = columns.indices.filter { isEnumOrSet(columns[$0]) }
        let sets = columns.indices.filter { columns[$0].realType == .set }
        let enums = columns.indices.filter { columns[$0].realType == .enum }
        let geometries = columns.indices.filter { columns[$0].type == .geometry }
        let vectors = columns.indices.filter { columns[$0].type == .vector }
        while body.readableBytes > 0 {
            let rawType = try body.readLittleEndian(UInt8.self, field: "optional_metadata.type")
            let length = try body.readLengthEncodedLength(field: "optional_metadata.length")
            var value = try body.readSlice(length: length, field: "optional_metadata.value")
            seen.append(rawType)
            guard let type = FieldType(rawValue: rawType) else { continue }  // a newer field: skip by its length
            switch type {
            case .signedness:
                for (position, index) in numeric.enumerated() {
                    guard let byte = value.getInteger(at: value.readerIndex + position / 8, as: UInt8.self) else {
                        break
                    }
                    columns[index].isUnsigned = byte & (0x80 >> UInt8(position % 8)) != 0
                }
            case .defaultCharset:
                try applyDefaultCharset(&value, to: &columns, indexes: character)
            case .enumAndSetDefaultCharset:
                try applyDefaultCharset(&value, to: &columns, indexes: enumSet)
            case .columnCharset:
                for index in character where value.readableBytes > 0 {
                    columns[index].collation = UInt32(
                        truncatingIfNeeded: try value.readLengthEncodedLength(field: "column_charset"))
                }
            case .enumAndSetColumnCharset:
                for index in enumSet where value.readableBytes > 0 {
                    columns[index].collation = UInt32(
                        truncatingIfNeeded: try value.readLengthEncodedLength(field: "enum_set_column_charset"))
                }
            case .columnName:
                for index in columns.indices where value.readableBytes > 0 {
                    let nameLength = try value.readLengthEncodedLength(field: "column_name.length")
                    columns[index].name = String(
                        decoding: try value.readBytes(length: nameLength, field: "column_name"), as: UTF8.self)
                }
            case .setStrValue:
                for index in sets where value.readableBytes > 0 {
                    columns[index].setValues = try readStringList(&value)
                }
            case .enumStrValue:
                for index in enums where value.readableBytes > 0 {
                    columns[index].enumValues = try readStringList(&value)
                }
            case .geometryType:
                for index in geometries where value.readableBytes > 0 {
                    columns[index].geometryType = UInt32(
                        truncatingIfNeeded: try value.readLengthEncodedLength(field: "geometry_type"))
                }
            case .simplePrimaryKey:
                while value.readableBytes > 0 {
                    let index = try value.readLengthEncodedLength(field: "primary_key")
                    if index < columns.count { columns[index].isPrimaryKey = true }
                }
            case .primaryKeyWithPrefix:
                while value.readableBytes > 0 {
                    let index = try value.readLengthEncodedLength(field: "primary_key")
                    _ = try value.readLengthEncodedLength(field: "primary_key.prefix")
                    if index < columns.count { columns[index].isPrimaryKey = true }
                }
            case .columnVisibility:
                for index in columns.indices {
                    guard let byte = value.getInteger(at: value.readerIndex + index / 8, as: UInt8.self) else { break }
                    columns[index].isVisible = byte & (0x80 >> UInt8(index % 8)) != 0
                }
            case .vectorDimensionality:
                for index in vectors where value.readableBytes > 0 {
                    columns[index].vectorDimensions = UInt32(
                        truncatingIfNeeded: try value.readLengthEncodedLength(field: "vector_dimensionality"))
                }
            }
        }
        return seen
    }

    /// DEFAULT_CHARSET: the default collation, then (column position among `indexes`, collation) exceptions.
    private static func applyDefaultCharset(
        _ value: inout ByteBuffer, to columns: inout [ColumnDescriptor], indexes: [Int]
    ) throws {
        let defaultCollation = UInt32(truncatingIfNeeded: try value.readLengthEncodedLength(field: "default_charset"))
        for index in indexes { columns[index].collation = defaultCollation }
        while value.readableBytes > 0 {
            let position = try value.readLengthEncodedLength(field: "default_charset.column")
            let collation = UInt32(
                truncatingIfNeeded: try value.readLengthEncodedLength(field: "default_charset.collation"))
            if position < indexes.count { columns[indexes[position]].collation = collation }
        }
    }

    private static func readStringList(_ value: inout ByteBuffer) throws -> [[UInt8]] {
        let count = try value.readLengthEncodedLength(field: "str_value.count")
        guard count <= value.readableBytes else {
            throw BinlogDecodingError.malformed("str_value.count", reason: "\(count) strings cannot fit")
        }
        var strings: [[UInt8]] = []
        for _ in 0..<count {
            let length = try value.readLengthEncodedLength(field: "str_value.length")
            strings.append(try value.readBytes(length: length, field: "str_value"))
        }
        return strings
    }
}
