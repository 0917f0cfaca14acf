import NIOCore

extension RowsEvent {
    /// Decodes each row of the event with the columns of `table`, calling `body` with it.
    ///
    /// - Throws: ``BinlogDecodingError`` when a row image does not fit the table map (wrong table, corrupt data).
    public func forEachRow(table: TableMapEvent, _ body: (RowChange) throws -> Void) throws {
        guard table.columns.count >= self.columnCount else {
            throw BinlogDecodingError.malformed(
                "column_count",
                reason: "the rows event has \(self.columnCount) columns, table map of "
                    + "\(table.database).\(table.table) has \(table.columns.count)")
        }
        var data = self.rowData
        // The images are reused from row to row: no allocation per row unless `body` keeps them.
        var before = RowImage(values: [])
        var after = RowImage(values: [])
        let columns = table.columns
        let count = self.columnCount
        while data.readableBytes > 0 {
            let remaining = data.readableBytes
            switch self.kind {
            case .insert:
                try Self.readImage(
                    &data, columns: columns, present: self.presentColumns, count: count, partial: false, into: &after)
                try body(RowChange(before: nil, after: after))
            case .delete:
                try Self.readImage(
                    &data, columns: columns, present: self.presentColumns, count: count, partial: false, into: &before)
                try body(RowChange(before: before, after: nil))
            case .update:
                try Self.readImage(
                    &data, columns: columns, present: self.presentColumns, count: count, partial: false, into: &before)
                try Self.readImage(
                    &data, columns: columns, present: self.presentColumnsAfter ?? self.presentColumns, count: count,
                    partial: self.isPartialUpdate, into: &after)
                try body(RowChange(before: before, after: after))
            }
            // A row image always has at least its NULL bitmap; one of no bytes means the event is corrupt
            // (no columns present), and reading on would never end.
            guard data.readableBytes < remaining else {
                throw BinlogDecodingError.malformed(
                    "rows", reason: "a row image of 0 bytes (no columns present) with \(remaining) bytes left")
            }
        }
    }

    /// The number of rows. Row images have no length prefix, so the values' lengths are read (but values of
    /// the common types are not decoded: a value with impossible contents is not noticed here).
    ///
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table.
    public func rowCount(table: TableMapEvent) throws -> Int {
        var rows = 0
        try self.skipRows(table: table) { _ in rows &+= 1 }
        return rows
    }

    static func readImage(
        _ data: inout ByteBuffer, columns: [ColumnDescriptor], present: [UInt8], count: Int, partial: Bool,
        into image: inout RowImage
    ) throws {
        var header = try RowImageHeader.read(
            from: &data, columns: columns, present: present, count: count, partial: partial)
        image.values.removeAll(keepingCapacity: true)
        image.values.append(contentsOf: repeatElement(nil, count: columns.count))
        if !image.jsonDiffs.isEmpty { image.jsonDiffs.removeAll() }
        var position = 0
        // Borrowed through a buffer pointer: a copy of a descriptor per value retained its strings and arrays.
        try columns.withUnsafeBufferPointer { columns in
            for index in 0..<count where RowImageHeader.isSet(present, index) {
                defer { position += 1 }
                let isPartialJSON = header.holdsJSONDiff(columns[index].type)
                if header.isNull(position: position) {
                    image.values[index] = .null
                    continue
                }
                do {
                    if isPartialJSON {
                        image.jsonDiffs[index] = try JSONDiff.decodeList(from: &data)
                    } else {
                        image.values[index] = try MySQLValue.decode(columns[index], from: &data)
                    }
                } catch var error as BinlogDecodingError {
                    let column = columns[index]
                    error.reason =
                        "column @\(index + 1)\(column.name.map { " (\($0))" } ?? "") \(column.type): " + error.reason
                    throw error
                }
            }
        }
    }
}

extension RowsEvent {
    /// The byte offset in ``rowData`` where each row ends (the last one is `rowData.readableBytes`): where the event
    /// can be split into smaller events of whole rows.
    ///
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table.
    public func rowEndOffsets(table: TableMapEvent) throws -> [Int] {
        var ends: [Int] = []
        try self.skipRows(table: table) { ends.append($0) }
        return ends
    }
}
