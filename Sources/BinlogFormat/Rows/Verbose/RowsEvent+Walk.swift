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

    /// Steps over every row, reading only lengths, and calls `row` with the offset in ``rowData`` where each row
    /// ends: ``rowCount(table:)`` and ``rowEndOffsets(table:)``.
    ///
    /// The values are stepped over by ``ValueStep``s worked out once for the event. When that walk fails, the
    /// event is walked again value by value (``RowImageWalker/skip(_:present:partial:plans:)``), which throws the
    /// same failure with the column named; `row` is called only by the walk that succeeds.
    ///
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table.
    @inline(__always)
    func skipRows(table: TableMapEvent, _ row: (Int) -> Void) throws {
        if self.isPartialUpdate {
            try self.walkRows(table: table) { bytes, walker, plans, presentBefore, presentAfter in
                try walker.skip(&bytes, present: presentBefore, partial: false, plans: plans)
                if self.kind == .update { try walker.skip(&bytes, present: presentAfter, partial: true, plans: plans) }
                row(bytes.offset)
            }
            return
        }
        if (try? self.skipRowsBySteps(table: table, row)) == true { return }
        // The fast walk failed: walk again value by value, which throws the same failure with the column named.
        try self.walkRows(table: table) { bytes, walker, plans, presentBefore, presentAfter in
            try walker.skip(&bytes, present: presentBefore, partial: false, plans: plans)
            if self.kind == .update { try walker.skip(&bytes, present: presentAfter, partial: false, plans: plans) }
        }
        throw BinlogDecodingError.malformed(
            "rows",
            reason: "the two row walks of this \(self.kind) event on \(table.database).\(table.table) disagree "
                + "(a bug in rewind: please report it with the binlog)")
    }

    /// The fast walk of ``skipRows(table:_:)``: `false` (or an error) when it did not get through the event, in
    /// which case `row` may have been called for some rows but not all.
    @inline(__always)
    func skipRowsBySteps(table: TableMapEvent, _ row: (Int) -> Void) throws -> Bool {
        let count = try self.checkColumns(table)
        let walker = RowImageWalker(columns: table.columns, count: count, rowData: self.rowData)
        let isUpdate = self.kind == .update
        return try withUnsafeTemporaryAllocation(of: ValueStep.self, capacity: 2 &* max(count, 1)) { steps in
            let before = self.presentColumns.withUnsafeBytes {
                ValueStep.fill(steps, columns: table.columns, count: count, present: $0)
            }
            var after = 0
            if isUpdate {
                after = (self.presentColumnsAfter ?? self.presentColumns).withUnsafeBytes {
                    ValueStep.fill(
                        UnsafeMutableBufferPointer(rebasing: steps[before...]), columns: table.columns, count: count,
                        present: $0)
                }
            }
            let stepsBefore = UnsafeBufferPointer(rebasing: steps[0..<before])
            let stepsAfter = UnsafeBufferPointer(rebasing: steps[before..<(before &+ after)])
            return try self.rowData.withUnsafeReadableBytes { raw in
                var bytes = RowBytes(raw)
                while bytes.remaining > 0 {
                    let remaining = bytes.remaining
                    try walker.skip(&bytes, steps: stepsBefore)
                    if isUpdate { try walker.skip(&bytes, steps: stepsAfter) }
                    guard bytes.remaining < remaining else { return false }
                    row(bytes.offset)
                }
                return true
            }
        }
    }
}
