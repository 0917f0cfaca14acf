import NIOCore

extension RowsEvent {
    /// Walks the rows of the event without decoding their values, calling `body` with the row data's bytes
    /// and, for each row, its images as byte ranges: INSERT has only `after`, DELETE only `before`, UPDATE both.
    /// Only the rare types (``VerboseColumn/Kind/general`` but BIT) and JSON diffs are decoded, to learn their
    /// length. The images are reused from row to row.
    ///
    /// - Parameter plans: ``VerboseColumn`` of each column of `table` (worked out once per table).
    /// - Throws: ``BinlogDecodingError`` when an image does not fit the table (wrong table, corrupt data).
    package func forEachRawRow(
        table: TableMapEvent,
        plans: [VerboseColumn],
        _ body: (UnsafeRawBufferPointer, RawRowImage?, RawRowImage?) throws -> Void
    ) throws {
        guard plans.count == table.columns.count else {
            throw BinlogDecodingError.malformed(
                "plans",
                reason: "\(plans.count) plans for \(table.columns.count) columns"
            )
        }
        var beforeImage = RawRowImage(columnCount: table.columns.count)
        var afterImage = RawRowImage(columnCount: table.columns.count)
        try self.walkRows(table: table, plans: plans) { bytes, walker, plans, presentBefore, presentAfter in
            // INSERT: the after image only; DELETE: the before image only; UPDATE: both.
            if self.kind != .insert {
                try walker.locate(&bytes, present: presentBefore, partial: false, plans: plans, into: &beforeImage)
            }
            if self.kind != .delete {
                let isUpdate = self.kind == .update
                try walker.locate(
                    &bytes,
                    present: isUpdate ? presentAfter : presentBefore,
                    partial: isUpdate && self.isPartialUpdate,
                    plans: plans,
                    into: &afterImage
                )
            }
            try body(bytes.raw, self.kind == .insert ? nil : beforeImage, self.kind == .delete ? nil : afterImage)
        }
    }
}

extension RowsEvent {
    /// The event's column count, after checking that `table` has as many columns and the bitmaps cover them.
    ///
    /// - Throws: ``BinlogDecodingError`` `.malformed` when they do not (wrong table, corrupt event).
    func checkColumns(_ table: TableMapEvent) throws -> Int {
        let count = self.columnCount
        guard table.columns.count >= count else {
            throw BinlogDecodingError.malformed(
                "column_count",
                reason: "the rows event has \(count) columns, table map of "
                    + "\(table.database).\(table.table) has \(table.columns.count)"
            )
        }
        let after = self.presentColumnsAfter ?? self.presentColumns
        guard self.presentColumns.count * 8 >= count, after.count * 8 >= count else {
            throw BinlogDecodingError.malformed(
                "columns_present",
                reason: "the bitmap is shorter than \(count) columns"
            )
        }
        return count
    }
}

extension RowImageWalker {
    /// Steps over one image, noting where each column's value is.
    func locate(
        _ bytes: inout RowBytes,
        present: UnsafeRawBufferPointer,
        partial: Bool,
        plans: UnsafeBufferPointer<VerboseColumn>,
        into image: inout RawRowImage
    ) throws {
        let (nulls, partialJSON) = try self.header(&bytes, present: present, partial: partial, plans: plans)
        var position = 0
        var jsonPosition = 0
        for index in image.slots.indices {
            guard index < self.count, Self.isSet(present, index) else {
                image.slots[index] = RawRowImage.Slot(state: .absent, start: 0, end: 0)
                continue
            }
            let plan = plans[index]
            let isDiff = Self.holdsDiff(plan, partialJSON, &jsonPosition)
            defer { position &+= 1 }
            if Self.isSet(nulls, position) {
                image.slots[index] = RawRowImage.Slot(state: .null, start: bytes.offset, end: bytes.offset)
                continue
            }
            let start = bytes.offset
            if plan.kind != .general && !isDiff {
                try plan.skip(from: &bytes)
            } else if plan.typeCode == 16 && !isDiff {  // BIT(n): (n + 7) / 8 bytes
                let metadata = self.columns[index].metadata
                try bytes.skip((Int(metadata >> 8) * 8 + Int(metadata & 0xFF) + 7) / 8, field: "BIT value")
            } else {
                try self.skipDecoding(index, isDiff: isDiff, from: &bytes)
            }
            image.slots[index] = RawRowImage.Slot(state: isDiff ? .jsonDiff : .value, start: start, end: bytes.offset)
        }
    }

    /// Steps over a value of a rare type, or a JSON diff list, by decoding it from a `ByteBuffer` slice at the
    /// same offset (only decoding tells its length).
    private func skipDecoding(_ index: Int, isDiff: Bool, from bytes: inout RowBytes) throws {
        let remaining = bytes.remaining
        var slice =
            self.rowData.getSlice(at: self.rowData.readerIndex + bytes.offset, length: remaining) ?? ByteBuffer()
        if isDiff {
            _ = try JSONDiff.decodeList(from: &slice)
        } else {
            _ = try MySQLValue.decode(self.columns[index], from: &slice)
        }
        try bytes.skip(remaining - slice.readableBytes, field: "value")
    }
}
