import NIOCore

extension RowsEvent {
    /// Appends the rows as `mysqlbinlog -v` prints them (`### INSERT INTO …`, `###   @1=…`), decoding each
    /// value straight into text: no ``RowImage`` or ``MySQLValue`` is built, so a listing of a large binlog
    /// allocates almost nothing per row.
    ///
    /// - Parameters:
    ///   - comments: per column, bytes to print after the value (e.g. ` /* name */`), or `nil`.
    /// - Returns: the number of rows.
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table (`output` then holds a partial row).
    package func appendVerboseRows(table: TableMapEvent, comments: [[UInt8]?], to output: inout [UInt8]) throws -> Int {
        guard table.columns.count >= self.columnCount else {
            throw BinlogDecodingError.malformed(
                "column_count", reason: "the rows event has \(self.columnCount) columns, table map of "
                    + "\(table.database).\(table.table) has \(table.columns.count)")
        }
        let qualified = "`\(table.database)`.`\(table.table)`"
        let first: [UInt8]
        switch self.kind {
        case .insert: first = Array("### INSERT INTO \(qualified)\n### SET\n".utf8)
        case .delete: first = Array("### DELETE FROM \(qualified)\n### WHERE\n".utf8)
        case .update: first = Array("### UPDATE \(qualified)\n### WHERE\n".utf8)
        }
        let set = Array("### SET\n".utf8)
        // Per event, not per value: plain descriptors (no reference counting when copied) and one blob of
        // comment bytes addressed by ranges.
        let plan = table.columns.map(\.withoutDetails)
        var commentBytes: [UInt8] = []
        var commentRanges: [Range<Int>] = []
        for index in plan.indices {
            let start = commentBytes.count
            if index < comments.count, let comment = comments[index] { commentBytes.append(contentsOf: comment) }
            commentRanges.append(start..<commentBytes.count)
        }
        var data = self.rowData
        var count = 0
        while data.readableBytes > 0 {
            let remaining = data.readableBytes
            output.append(contentsOf: first)
            try Self.appendVerboseImage(
                &data, columns: plan, present: self.presentColumns, count: self.columnCount, partial: false,
                comments: commentBytes, commentRanges: commentRanges, to: &output)
            if self.kind == .update {
                output.append(contentsOf: set)
                try Self.appendVerboseImage(
                    &data, columns: plan, present: self.presentColumnsAfter ?? self.presentColumns,
                    count: self.columnCount, partial: self.isPartialUpdate, comments: commentBytes,
                    commentRanges: commentRanges, to: &output)
            }
            count += 1
            guard data.readableBytes < remaining else {
                throw BinlogDecodingError.malformed(
                    "rows", reason: "a row image of 0 bytes (no columns present) with \(remaining) bytes left")
            }
        }
        return count
    }

    private static let linePrefix = Array("###   @".utf8)
    private static let null = Array("NULL".utf8)

    private static func appendVerboseImage(
        _ data: inout ByteBuffer, columns: [ColumnDescriptor], present: [UInt8], count: Int, partial: Bool,
        comments: [UInt8], commentRanges: [Range<Int>], to output: inout [UInt8]
    ) throws {
        var header = try RowImageHeader.read(from: &data, columns: columns, present: present, count: count, partial: partial)
        let prefix = Self.linePrefix
        let nullText = Self.null
        var position = 0
        for index in 0..<count where RowImageHeader.isSet(present, index) {
            defer { position += 1 }
            output.append(contentsOf: prefix)
            appendDecimal(index + 1, to: &output)
            output.append(0x3D)
            let isPartialJSON = header.holdsJSONDiff(columns[index].type)
            if header.isNull(position: position) {
                output.append(contentsOf: nullText)
            } else if isPartialJSON {
                let diffs = try JSONDiff.decodeList(from: &data)
                output.append(contentsOf: JSONDiff.sqlExpression(diffs, columnNumber: index + 1).utf8)
            } else {
                try MySQLValue.appendVerboseText(decoding: columns[index], from: &data, to: &output)
            }
            let range = commentRanges[index]
            if !range.isEmpty {
                comments.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
            }
            output.append(0x0A)
        }
    }

    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &output) }
        output.append(UInt8(truncatingIfNeeded: 0x30 + value % 10))
    }
}
