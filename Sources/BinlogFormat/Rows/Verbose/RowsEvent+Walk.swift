extension RowsEvent {
    /// The raw walk of the row images that ``rowCount(table:)``, ``rowEndOffsets(table:)`` and
    /// ``forEachRawRow(table:plans:_:)`` share: checks the columns (``checkColumns(_:)``), then calls `row` once per
    /// row with the bytes positioned at its first image; `row` must step over the row's images (before, and after
    /// for an update). A row that consumes no bytes means a corrupt event.
    ///
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table, or what `row` throws.
    @inline(__always)  // so that each caller's `row` is inlined into the loop (a call per row cost `stats` 40%)
    func walkRows(
        table: TableMapEvent,
        plans given: [VerboseColumn]? = nil,
        _ row: (
            _ bytes: inout RowBytes, _ walker: RowImageWalker, _ plans: UnsafeBufferPointer<VerboseColumn>,
            _ presentBefore: UnsafeRawBufferPointer, _ presentAfter: UnsafeRawBufferPointer
        ) throws -> Void
    ) throws {
        let count = try self.checkColumns(table)
        let after = self.presentColumnsAfter ?? self.presentColumns
        let plans = given ?? table.columns.prefix(count).map(VerboseColumn.init)
        let walker = RowImageWalker(columns: table.columns, count: count, rowData: self.rowData)
        try self.rowData.withUnsafeReadableBytes { raw in
            try plans.withUnsafeBufferPointer { plans in
                try self.presentColumns.withUnsafeBytes { presentBefore in
                    try after.withUnsafeBytes { presentAfter in
                        var bytes = RowBytes(raw)
                        while bytes.remaining > 0 {
                            let remaining = bytes.remaining
                            try row(&bytes, walker, plans, presentBefore, presentAfter)
                            guard bytes.remaining < remaining else {
                                throw BinlogDecodingError.malformed(
                                    "rows",
                                    reason: "a row image of 0 bytes (no columns present) with \(remaining) bytes left")
                            }
                        }
                    }
                }
            }
        }
    }
}
