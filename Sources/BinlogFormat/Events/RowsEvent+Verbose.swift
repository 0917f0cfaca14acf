import NIOCore

extension RowsEvent {
    /// Appends the rows as `mysqlbinlog -v` prints them (`### INSERT INTO …`, `###   @1=…`), decoding each
    /// value straight into text: no ``RowImage`` or ``MySQLValue`` is built for the common column types, and
    /// the row images are walked as raw bytes (every read bounds-checked), so a listing of a large binlog
    /// allocates nothing per row and takes no reference count per value.
    ///
    /// - Parameters:
    ///   - comments: per column, bytes to print after the value (e.g. ` /* name */`), or `nil`.
    /// - Returns: the number of rows.
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table (`output` then holds a partial row).
    package func appendVerboseRows(
        table: TableMapEvent,
        comments: [[UInt8]?],
        to output: inout TextBuffer
    ) throws -> Int {
        try self.printVerboseRows(table: table, comments: comments, to: &output)
    }

    /// ``appendVerboseRows(table:comments:to:)`` into an array.
    package func appendVerboseRows(table: TableMapEvent, comments: [[UInt8]?], to output: inout [UInt8]) throws -> Int {
        try self.printVerboseRows(table: table, comments: comments, to: &output)
    }

    /// ``appendVerboseRows(table:comments:to:)`` in pieces: for one huge event, whose text is not held whole.
    package func appendVerboseRows(
        table: TableMapEvent, comments: [[UInt8]?], to output: inout FlushingTextBuffer
    ) throws -> Int {
        try self.printVerboseRows(table: table, comments: comments, to: &output)
    }

    /// Specialized inside the module for each output (a generic entry point would run unspecialized from
    /// other modules).
    private func printVerboseRows<Output: ByteOutput & ~Copyable>(
        table: TableMapEvent,
        comments: [[UInt8]?],
        to output: inout Output
    ) throws -> Int {
        let count = try self.checkColumns(table)
        let after = self.presentColumnsAfter ?? self.presentColumns
        let qualified = "`\(table.database)`.`\(table.table)`"
        let first: [UInt8]
        switch self.kind {
        case .insert: first = Array("### INSERT INTO \(qualified)\n### SET\n".utf8)
        case .delete: first = Array("### DELETE FROM \(qualified)\n### WHERE\n".utf8)
        case .update: first = Array("### UPDATE \(qualified)\n### WHERE\n".utf8)
        }
        // Per event, not per value: plain column plans, and one blob holding each column's `###   @n=` and
        // its comment with the line feed.
        var plans: [VerboseColumn] = []
        plans.reserveCapacity(count)
        var labels: [UInt8] = []
        labels.reserveCapacity(count * 24)
        var bounds: [Int] = []
        bounds.reserveCapacity(count * 3 + 1)
        for index in 0..<count {
            plans.append(VerboseColumn(table.columns[index]))
            bounds.append(labels.count)
            labels.append(contentsOf: "###   @".utf8)
            TextBytes.appendUnsigned(UInt64(index + 1), to: &labels)
            labels.append(UInt8(ascii: "="))
            bounds.append(labels.count)
            if index < comments.count, let comment = comments[index] { labels.append(contentsOf: comment) }
            labels.append(0x0A)
            bounds.append(labels.count)
        }
        let walker = RowImageWalker(columns: table.columns, count: count, rowData: self.rowData)
        return try self.rowData.withUnsafeReadableBytes { raw in
            try plans.withUnsafeBufferPointer { plans in
                try labels.withUnsafeBytes { labels in
                    try bounds.withUnsafeBufferPointer { bounds in
                        try self.presentColumns.withUnsafeBytes { presentBefore in
                            try after.withUnsafeBytes { presentAfter in
                                var bytes = RowBytes(raw)
                                var rows = 0
                                while bytes.remaining > 0 {
                                    let remaining = bytes.remaining
                                    first.withUnsafeBytes { output.appendBytes($0) }
                                    try walker.print(
                                        &bytes,
                                        present: presentBefore,
                                        partial: false,
                                        plans: plans,
                                        labels: labels,
                                        bounds: bounds,
                                        to: &output
                                    )
                                    if self.kind == .update {
                                        output.appendBytes("### SET\n")
                                        try walker.print(
                                            &bytes,
                                            present: presentAfter,
                                            partial: self.isPartialUpdate,
                                            plans: plans,
                                            labels: labels,
                                            bounds: bounds,
                                            to: &output
                                        )
                                    }
                                    rows += 1
                                    guard bytes.remaining < remaining else {
                                        throw BinlogDecodingError.malformed(
                                            "rows",
                                            reason:
                                                "a row image of 0 bytes (no columns present) with \(remaining) bytes left"
                                        )
                                    }
                                }
                                return rows
                            }
                        }
                    }
                }
            }
        }
    }
}
