import NIOCore

/// Walks the row images of one ROWS event as raw bytes, printing them for
/// ``RowsEvent/appendVerboseRows(table:comments:to:)`` or only stepping over them for
/// ``RowsEvent/rowCount(table:)``:
///
///     ┌──────────────────────────────────────────────────────────┬────────────────────┬──────────────────────┐
///     │ PARTIAL_UPDATE after image only: value_options (lenenc), │ NULL bitmap (one   │ values of the present │
///     │ and if bit 0: one bit per present JSON column            │ bit per present    │ non-NULL columns      │
///     │                                                          │ column)            │                       │
///     └──────────────────────────────────────────────────────────┴────────────────────┴──────────────────────┘
///
/// Common types are read straight from the bytes (``VerboseColumn``); the others and JSON diffs go through
/// ``MySQLValue`` on a slice of ``rowData`` at the same offset, so they are checked as the value decoder
/// checks them.
struct RowImageWalker {
    let columns: [ColumnDescriptor]
    let count: Int
    /// The event's row data, which the raw bytes being walked belong to.
    let rowData: ByteBuffer

    @inline(__always)
    static func isSet(_ bitmap: UnsafeRawBufferPointer, _ index: Int) -> Bool {
        bitmap[index &>> 3] & (1 &<< UInt8(truncatingIfNeeded: index & 7)) != 0
    }

    /// Whether the present column of `plan` holds a JSON diff list (its bit in the partial-JSON bitmap); counts
    /// the JSON columns seen in `jsonPosition`.
    @inline(__always)
    static func holdsDiff(
        _ plan: VerboseColumn, _ partialJSON: UnsafeRawBufferPointer, _ jsonPosition: inout Int
    ) -> Bool {
        guard plan.typeCode == 245 && partialJSON.count > 0 else { return false }  // the cheap test first
        defer { jsonPosition &+= 1 }
        return Self.isSet(partialJSON, jsonPosition)
    }

    /// The bitmaps in front of an image's values: NULL bits, and partial-JSON bits (empty when none).
    @inline(__always)
    func header(
        _ bytes: inout RowBytes,
        present: UnsafeRawBufferPointer,
        partial: Bool,
        plans: UnsafeBufferPointer<VerboseColumn>
    ) throws -> (nulls: UnsafeRawBufferPointer, partialJSON: UnsafeRawBufferPointer) {
        var partialJSON = UnsafeRawBufferPointer(start: nil, count: 0)
        if partial {
            let options = try bytes.lengthEncoded(field: "value_options") ?? 0
            if options & 1 != 0 {  // PARTIAL_JSON_UPDATES
                var jsonCount = 0
                for index in 0..<self.count where Self.isSet(present, index) && plans[index].typeCode == 245 {
                    jsonCount += 1
                }
                partialJSON = try bytes.take((jsonCount + 7) / 8, field: "partial_bits")
            }
        }
        var presentCount = 0
        for index in 0..<self.count where Self.isSet(present, index) { presentCount &+= 1 }
        return (try bytes.take((presentCount + 7) / 8, field: "null_bitmap"), partialJSON)
    }

    /// Prints one image.
    ///
    /// - Parameters:
    ///   - present: the columns-present bitmap (checked to cover ``count`` columns).
    ///   - bounds: per column, the offsets in `labels` of `###   @n=`, of the text after the value, and the end.
    func print<Output: ByteOutput & ~Copyable>(
        _ bytes: inout RowBytes,
        present: UnsafeRawBufferPointer,
        partial: Bool,
        plans: UnsafeBufferPointer<VerboseColumn>,
        labels: UnsafeRawBufferPointer,
        bounds: UnsafeBufferPointer<Int>,
        to output: inout Output
    ) throws {
        let (nulls, partialJSON) = try self.header(&bytes, present: present, partial: partial, plans: plans)
        var position = 0
        var jsonPosition = 0
        for index in 0..<self.count where Self.isSet(present, index) {
            let plan = plans[index]
            let start = bounds[index &* 3]
            let split = bounds[index &* 3 &+ 1]
            let end = bounds[index &* 3 &+ 2]
            output.appendBytes(UnsafeRawBufferPointer(rebasing: labels[start..<split]))
            let isDiff = Self.holdsDiff(plan, partialJSON, &jsonPosition)
            if Self.isSet(nulls, position) {
                output.appendBytes("NULL")
            } else if plan.kind != .general && !isDiff {
                try plan.print(from: &bytes, to: &output)
            } else {
                try self.general(index, isDiff: isDiff, from: &bytes, to: &output)
            }
            output.appendBytes(UnsafeRawBufferPointer(rebasing: labels[split..<end]))
            position &+= 1
        }
    }

    /// Steps over one image, reading only lengths (rare types and JSON diffs are decoded).
    func skip(
        _ bytes: inout RowBytes,
        present: UnsafeRawBufferPointer,
        partial: Bool,
        plans: UnsafeBufferPointer<VerboseColumn>
    ) throws {
        let (nulls, partialJSON) = try self.header(&bytes, present: present, partial: partial, plans: plans)
        var position = 0
        var jsonPosition = 0
        for index in 0..<self.count where Self.isSet(present, index) {
            let plan = plans[index]
            let isDiff = Self.holdsDiff(plan, partialJSON, &jsonPosition)
            if !Self.isSet(nulls, position) {
                if plan.kind != .general && !isDiff {
                    try plan.skip(from: &bytes)
                } else {
                    var ignored = TextBuffer(capacity: 64)
                    try self.general(index, isDiff: isDiff, from: &bytes, to: &ignored)
                }
            }
            position &+= 1
        }
    }

    /// Steps over one image (not a partial update's) whose present columns' ``ValueStep``s are `steps`: the fast
    /// path of ``skip(_:present:partial:plans:)``. Its errors are not annotated: the caller walks the event again
    /// with ``skip(_:present:partial:plans:)`` to report them.
    @inline(__always)
    func skip(_ bytes: inout RowBytes, steps: UnsafeBufferPointer<ValueStep>) throws {
        let nulls = try bytes.take((steps.count &+ 7) &>> 3, field: "null_bitmap")
        for position in 0..<steps.count where !Self.isSet(nulls, position) {
            let step = steps[position]
            switch step.mode {
            case .fixed:
                try bytes.skip(Int(step.width), field: "value")
            case .prefixed:
                let length = Int(try bytes.littleEndian(Int(step.width), field: "string length"))
                try bytes.skip(length, field: "string value")
            case .general:
                var ignored = TextBuffer(capacity: 64)
                try self.general(Int(step.column), isDiff: false, from: &bytes, to: &ignored)
            }
        }
    }

    /// A value of a rare type, or a JSON diff list, decoded from a `ByteBuffer` slice at the same offset.
    private func general<Output: ByteOutput & ~Copyable>(
        _ index: Int,
        isDiff: Bool,
        from bytes: inout RowBytes,
        to output: inout Output
    ) throws {
        let remaining = bytes.remaining
        var slice =
            self.rowData.getSlice(at: self.rowData.readerIndex + bytes.offset, length: remaining) ?? ByteBuffer()
        if isDiff {
            let diffs = try JSONDiff.decodeList(from: &slice)
            output.appendBytes(Array(JSONDiff.sqlExpression(diffs, columnNumber: index + 1).utf8))
        } else {
            let column = self.columns[index]
            try MySQLValue.decode(column, from: &slice).appendVerboseText(to: &output, column: column)
        }
        try bytes.skip(remaining - slice.readableBytes, field: "value")
    }
}
