import NIOCore

extension RowsEvent {
    /// Decodes each row of the event with the columns of `table`, calling `body` with it.
    ///
    /// - Throws: ``BinlogDecodingError`` when a row image does not fit the table map (wrong table, corrupt data).
    public func forEachRow(table: TableMapEvent, _ body: (RowChange) throws -> Void) throws {
        guard table.columns.count >= self.columnCount else {
            throw BinlogDecodingError.malformed(
                "column_count", reason: "the rows event has \(self.columnCount) columns, table map of "
                    + "\(table.database).\(table.table) has \(table.columns.count)")
        }
        var data = self.rowData
        while data.readableBytes > 0 {
            switch self.kind {
            case .insert:
                let image = try Self.readImage(&data, columns: table.columns, present: self.presentColumns, count: self.columnCount, partial: false)
                try body(RowChange(before: nil, after: image))
            case .delete:
                let image = try Self.readImage(&data, columns: table.columns, present: self.presentColumns, count: self.columnCount, partial: false)
                try body(RowChange(before: image, after: nil))
            case .update:
                let before = try Self.readImage(&data, columns: table.columns, present: self.presentColumns, count: self.columnCount, partial: false)
                let after = try Self.readImage(
                    &data, columns: table.columns, present: self.presentColumnsAfter ?? self.presentColumns,
                    count: self.columnCount, partial: self.isPartialUpdate)
                try body(RowChange(before: before, after: after))
            }
        }
    }

    /// The number of rows (decodes them: row images have no length prefix).
    public func rowCount(table: TableMapEvent) throws -> Int {
        var count = 0
        try self.forEachRow(table: table) { _ in count += 1 }
        return count
    }

    static func readImage(
        _ data: inout ByteBuffer, columns: [ColumnDescriptor], present: [UInt8], count: Int, partial: Bool
    ) throws -> RowImage {
        var partialJSON: [UInt8] = []
        if partial {
            let options = try data.readLengthEncodedInteger(field: "value_options") ?? 0
            if options & 1 != 0 {  // PARTIAL_JSON_UPDATES
                var jsonCount = 0
                for index in 0..<count where present[index >> 3] & (1 << UInt8(index & 7)) != 0 && columns[index].type == .json {
                    jsonCount += 1
                }
                partialJSON = try data.readBytes(length: (jsonCount + 7) / 8, field: "partial_bits")
            }
        }
        var presentCount = 0
        for index in 0..<count where present[index >> 3] & (1 << UInt8(index & 7)) != 0 { presentCount += 1 }
        let nulls = try data.readBytes(length: (presentCount + 7) / 8, field: "null_bitmap")
        var values = [MySQLValue?](repeating: nil, count: columns.count)
        var diffs: [Int: [JSONDiff]] = [:]
        var position = 0
        var jsonPosition = 0
        for index in 0..<count where present[index >> 3] & (1 << UInt8(index & 7)) != 0 {
            defer { position += 1 }
            let column = columns[index]
            var isPartialJSON = false
            if column.type == .json && !partialJSON.isEmpty {
                isPartialJSON = partialJSON[jsonPosition >> 3] & (1 << UInt8(jsonPosition & 7)) != 0
                jsonPosition += 1
            }
            if nulls[position >> 3] & (1 << UInt8(position & 7)) != 0 {
                values[index] = .null
                continue
            }
            do {
                if isPartialJSON {
                    diffs[index] = try JSONDiff.decodeList(from: &data)
                } else {
                    values[index] = try MySQLValue.decode(column, from: &data)
                }
            } catch var error as BinlogDecodingError {
                error.reason = "column @\(index + 1)\(column.name.map { " (\($0))" } ?? "") \(column.type): " + error.reason
                throw error
            }
        }
        return RowImage(values: values, jsonDiffs: diffs)
    }
}
