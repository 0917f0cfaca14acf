import NIOCore

/// The row events: `WRITE/UPDATE/DELETE_ROWS` v0 (20–22, pre-GA), v1 (23–25), v2 (30–32),
/// `PARTIAL_UPDATE_ROWS_EVENT` (39) and MariaDB's compressed variants (166–171). Row images are decoded on
/// demand (``forEachRow(table:_:)``), so counting and filtering do not pay for value decoding.
///
///     post-header: ┌────────────────────┬───────────┬─────────────────────────────────────────────┐
///                  │ table_id (6, or 4) │ flags (2) │ v2: extra_data_len (2, counts itself), data │
///                  └────────────────────┴───────────┴─────────────────────────────────────────────┘
///     body: width (lenenc) │ columns-present bitmap │ (UPDATE) after-image bitmap │ rows (rest)
///     row:  NULL bitmap over present columns │ values of present non-NULL columns
///           (PARTIAL_UPDATE after image: value_options (lenenc) [partial-JSON bitmap] first)
public struct RowsEvent: Hashable, Sendable {
    /// What the event does to its rows.
    public enum Kind: String, Hashable, Sendable, Codable {
        case insert, update, delete
    }

    public var kind: Kind
    /// 0 (pre-GA), 1 or 2.
    public var version: UInt8
    /// `PARTIAL_UPDATE_ROWS_EVENT`: JSON columns of the after image may be diffs.
    public var isPartialUpdate: Bool
    /// MariaDB `*_ROWS_COMPRESSED_EVENT`: the row data was zlib-compressed.
    public var isCompressed: Bool
    public var tableID: UInt64
    public var flags: UInt16
    /// v2 extra data (`RW_V_EXTRAINFO_TAG`, partition info), raw.
    public var extraData: [UInt8]
    public var columnCount: Int
    /// Columns present in the (before) image, one bit each, least significant bit first.
    public var presentColumns: [UInt8]
    /// Columns present in the after image of an UPDATE.
    public var presentColumnsAfter: [UInt8]?
    /// The row images, not yet decoded.
    public var rowData: ByteBuffer

    /// `STMT_END_F` (1): the last row event of a statement.
    public static let flagStatementEnd: UInt16 = 1

    public var isStatementEnd: Bool { self.flags & Self.flagStatementEnd != 0 }

    static func decode(from body: inout ByteBuffer, type: BinlogEventType, postHeaderLength: Int) throws -> Self {
        let (kind, version, partial, compressed) = Self.classify(type)
        let tableID =
            postHeaderLength == 6
            ? UInt64(try body.readLittleEndian(UInt32.self, field: "table_id"))
            : try body.readLittleEndianUInt(byteCount: 6, field: "table_id")
        let flags = try body.readLittleEndian(UInt16.self, field: "flags")
        var extra: [UInt8] = []
        if postHeaderLength >= 10 {
            let extraLength = Int(try body.readLittleEndian(UInt16.self, field: "extra_data_length"))
            guard extraLength >= 2 else {
                throw BinlogDecodingError.malformed("extra_data_length", reason: "\(extraLength) is less than 2")
            }
            extra = try body.readBytes(length: extraLength - 2, field: "extra_data")
            try Self.validateExtraData(extra, kind: kind)
            try body.skip(max(0, postHeaderLength - 10), field: "post_header")
        } else {
            try body.skip(max(0, postHeaderLength - (postHeaderLength == 6 ? 6 : 8)), field: "post_header")
        }
        let width = try body.readLengthEncodedLength(field: "column_count")
        guard width <= body.readableBytes * 8 else {
            throw BinlogDecodingError.malformed("column_count", reason: "\(width) columns cannot fit")
        }
        let present = try body.readBytes(length: (width + 7) / 8, field: "columns_present")
        var after: [UInt8]?
        if kind == .update {
            after = try body.readBytes(length: (width + 7) / 8, field: "columns_present_after")
        }
        var rows = body.readSlice(length: body.readableBytes) ?? ByteBuffer()
        if compressed {
            rows = ByteBuffer(bytes: try MariaDBCompression.inflate(&rows, field: "rows"))
        }
        return Self(
            kind: kind, version: version, isPartialUpdate: partial, isCompressed: compressed, tableID: tableID,
            flags: flags, extraData: extra, columnCount: width, presentColumns: present,
            presentColumnsAfter: after, rowData: rows)
    }

    /// Checks the v2 extra data: `RW_V_EXTRAINFO_TAG` (0): length (counting itself and the format byte,
    /// so at least 2), format, data; `RW_V_TAG_PART_INFO` (1): partition id (2), and for UPDATE the source
    /// partition id (2). Any other tag is invalid (MariaDB's `invalid_row_v2_tag` test file).
    static func validateExtraData(_ extra: [UInt8], kind: Kind) throws {
        var index = 0
        while index < extra.count {
            let tag = extra[index]
            index += 1
            switch tag {
            case 0:
                guard index < extra.count else {
                    throw BinlogDecodingError.malformed("extra_data", reason: "extra row info has no length byte")
                }
                let length = Int(extra[index])
                guard length >= 2, index + length <= extra.count else {
                    throw BinlogDecodingError.malformed(
                        "extra_data",
                        reason: "extra row info length \(length) does not fit \(extra.count - index) bytes")
                }
                index += length
            case 1:
                let needed = kind == .update ? 4 : 2
                guard index + needed <= extra.count else {
                    throw BinlogDecodingError.malformed("extra_data", reason: "partition info is cut short")
                }
                index += needed
            default:
                throw BinlogDecodingError.malformed("extra_data", reason: "unknown extra data tag \(tag)")
            }
        }
    }

    static func classify(_ type: BinlogEventType) -> (Kind, UInt8, Bool, Bool) {
        switch type {
        case .preGAWriteRows: (.insert, 0, false, false)
        case .preGAUpdateRows: (.update, 0, false, false)
        case .preGADeleteRows: (.delete, 0, false, false)
        case .writeRowsV1: (.insert, 1, false, false)
        case .updateRowsV1: (.update, 1, false, false)
        case .deleteRowsV1: (.delete, 1, false, false)
        case .writeRowsV2: (.insert, 2, false, false)
        case .updateRowsV2: (.update, 2, false, false)
        case .deleteRowsV2: (.delete, 2, false, false)
        case .partialUpdateRows: (.update, 2, true, false)
        case .mariadbWriteRowsCompressedV1: (.insert, 1, false, true)
        case .mariadbUpdateRowsCompressedV1: (.update, 1, false, true)
        case .mariadbDeleteRowsCompressedV1: (.delete, 1, false, true)
        case .mariadbWriteRowsCompressed: (.insert, 2, false, true)
        case .mariadbUpdateRowsCompressed: (.update, 2, false, true)
        default: (.delete, 2, false, true)
        }
    }

    /// Whether `type` is one of the row event types.
    package static func isRowsEvent(_ type: BinlogEventType) -> Bool {
        switch type.rawValue {
        case 20...25, 30...32, 39, 166...171: true
        default: false
        }
    }
}
