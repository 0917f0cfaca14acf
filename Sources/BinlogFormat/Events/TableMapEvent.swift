import NIOCore

/// `TABLE_MAP_EVENT` (19): maps a table id to a table and its column types, before the ROWS events that use it.
///
///     post-header: ┌───────────────────────┬───────────┐
///                  │ table_id (6, or 4)    │ flags (2) │
///                  └───────────────────────┴───────────┘
///     body: db len (1) │ db │ NUL │ table len (1) │ table │ NUL │ column count (lenenc) │ types (n) │
///           metadata length (lenenc) │ metadata │ NULL bitmap ((n+7)/8) │ optional metadata TLVs (rest)
public struct TableMapEvent: Hashable, Sendable {
    public var tableID: UInt64
    public var flags: UInt16
    public var database: String
    public var table: String
    public var columns: [ColumnDescriptor]
    /// Optional-metadata field types present (`binlog_row_metadata`): 1 SIGNEDNESS … 13 VECTOR_DIMENSIONALITY.
    public var optionalMetadataFields: [UInt8]

    public init(
        tableID: UInt64, flags: UInt16, database: String, table: String, columns: [ColumnDescriptor],
        optionalMetadataFields: [UInt8] = []
    ) {
        self.tableID = tableID
        self.flags = flags
        self.database = database
        self.table = table
        self.columns = columns
        self.optionalMetadataFields = optionalMetadataFields
    }

    /// Whether the binlog named the columns (COLUMN_NAME metadata).
    public var hasColumnNames: Bool { self.columns.contains { $0.name != nil } }

    /// The table id at the start of a TABLE_MAP body, `nil` when the body is too short to hold one.
    static func tableID(in body: ByteBuffer, postHeaderLength: Int) -> UInt64? {
        if postHeaderLength == 6 {
            return body.getInteger(at: body.readerIndex, endianness: .little, as: UInt32.self).map(UInt64.init)
        }
        guard let low = body.getInteger(at: body.readerIndex, endianness: .little, as: UInt32.self),
            let high = body.getInteger(at: body.readerIndex + 4, endianness: .little, as: UInt16.self)
        else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    static func decode(from body: inout ByteBuffer, postHeaderLength: Int) throws -> Self {
        let tableID =
            postHeaderLength == 6
            ? UInt64(try body.readLittleEndian(UInt32.self, field: "table_id"))
            : try body.readLittleEndianUInt(byteCount: 6, field: "table_id")
        let flags = try body.readLittleEndian(UInt16.self, field: "flags")
        try body.skip(max(0, postHeaderLength - (postHeaderLength == 6 ? 6 : 8)), field: "post_header")
        let databaseLength = Int(try body.readLittleEndian(UInt8.self, field: "db_len"))
        let database = String(decoding: try body.readBytes(length: databaseLength, field: "db_name"), as: UTF8.self)
        try body.skip(1, field: "db_name.nul")
        let tableLength = Int(try body.readLittleEndian(UInt8.self, field: "table_len"))
        let table = String(decoding: try body.readBytes(length: tableLength, field: "table_name"), as: UTF8.self)
        try body.skip(1, field: "table_name.nul")
        let count = try body.readLengthEncodedLength(field: "column_count")
        guard count <= body.readableBytes else {
            throw BinlogDecodingError.malformed(
                "column_count", reason: "\(count) columns cannot fit in \(body.readableBytes) bytes")
        }
        let types = try body.readBytes(length: count, field: "column_types")
        var columns = types.map { ColumnDescriptor(type: ColumnType(rawValue: $0)) }
        if body.readableBytes > 0 {
            let metadataLength = try body.readLengthEncodedLength(field: "metadata_length")
            var metadata = try body.readSlice(length: metadataLength, field: "metadata")
            for index in columns.indices {
                columns[index].metadata = try ColumnDescriptor.readMetadata(for: columns[index].type, from: &metadata)
            }
            let nullBitmap = try body.readBytes(length: (count + 7) / 8, field: "null_bitmap")
            for index in columns.indices {
                columns[index].isNullable = nullBitmap[index >> 3] & (1 << UInt8(index & 7)) != 0
            }
        }
        var fields: [UInt8] = []
        if body.readableBytes > 0 {
            fields = try OptionalMetadata.apply(from: &body, to: &columns)
        }
        return Self(
            tableID: tableID, flags: flags, database: database, table: table, columns: columns,
            optionalMetadataFields: fields)
    }
}
