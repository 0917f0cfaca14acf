extension RowsEvent {
    /// Calls `body` once per row image (an update's before image, then its after image) with the row data and, per
    /// column, where its value is (``RowValueSpan``), without decoding the values of the common types: for hashing
    /// a row's key cheaply.
    ///
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table.
    public func forEachImageSpans(
        table: TableMapEvent, _ body: (UnsafeRawBufferPointer, UnsafeBufferPointer<RowValueSpan>) throws -> Void
    ) throws {
        let count = self.columnCount
        guard table.columns.count >= count else {
            throw BinlogDecodingError.malformed(
                "column_count", reason: "the rows event has \(count) columns, table map of "
                    + "\(table.database).\(table.table) has \(table.columns.count)")
        }
        let after = self.presentColumnsAfter ?? self.presentColumns
        guard self.presentColumns.count * 8 >= count, after.count * 8 >= count else {
            throw BinlogDecodingError.malformed("columns_present", reason: "the bitmap is shorter than \(count) columns")
        }
        let plans = table.columns.prefix(count).map(VerboseColumn.init)
        let walker = RowImageWalker(columns: table.columns, count: count, rowData: self.rowData)
        var spans = [RowValueSpan](repeating: .absent, count: table.columns.count)
        try self.rowData.withUnsafeReadableBytes { raw in
            try plans.withUnsafeBufferPointer { plans in
                try self.presentColumns.withUnsafeBytes { presentBefore in
                    try after.withUnsafeBytes { presentAfter in
                        try spans.withUnsafeMutableBufferPointer { spans in
                            var bytes = RowBytes(raw)
                            while bytes.remaining > 0 {
                                let remaining = bytes.remaining
                                try walker.spans(&bytes, present: presentBefore, partial: false, plans: plans, into: spans)
                                try body(raw, UnsafeBufferPointer(spans))
                                if self.kind == .update {
                                    try walker.spans(
                                        &bytes, present: presentAfter, partial: self.isPartialUpdate, plans: plans, into: spans)
                                    try body(raw, UnsafeBufferPointer(spans))
                                }
                                guard bytes.remaining < remaining else {
                                    throw BinlogDecodingError.malformed(
                                        "rows", reason: "a row image of 0 bytes (no columns present) with \(remaining) bytes left")
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
