/// How the row walk of ``RowsEvent/skipRows(table:_:)`` steps over one present column's value without reading it:
/// worked out once per event from the column's ``VerboseColumn`` plan, so that the loop over millions of values
/// neither tests the columns-present bitmap nor switches on the column's kind.
struct ValueStep {
    enum Mode: UInt8 {
        /// ``width`` bytes.
        case fixed
        /// A little-endian length of ``width`` bytes, then that many bytes.
        case prefixed
        /// A rare type: decoded through ``MySQLValue`` (see ``RowImageWalker``).
        case general
    }

    var mode: Mode
    var width: Int32
    /// The column's index in the table (for ``Mode/general``).
    var column: Int32

    init(_ plan: VerboseColumn, column: Int) {
        self.column = Int32(truncatingIfNeeded: column)
        switch plan.kind {
        case .quoted:
            self.mode = .prefixed
            self.width = Int32(truncatingIfNeeded: plan.size)
        case .integer, .float, .double, .decimal, .year, .date, .enumeration, .set:
            self.mode = .fixed
            self.width = Int32(truncatingIfNeeded: plan.size)
        case .datetime2:
            self.mode = .fixed
            self.width = Int32(truncatingIfNeeded: 5 + plan.size)
        case .timestamp2:
            self.mode = .fixed
            self.width = Int32(truncatingIfNeeded: 4 + plan.size)
        case .time2:
            self.mode = .fixed
            self.width = Int32(truncatingIfNeeded: 3 + plan.size)
        case .general:
            self.mode = .general
            self.width = 0
        }
    }

    /// Writes the steps of the columns present in `present` (of the first `count` columns) into `steps`, in column
    /// order, and returns how many there are.
    static func fill(
        _ steps: UnsafeMutableBufferPointer<ValueStep>,
        columns: [ColumnDescriptor],
        count: Int,
        present: UnsafeRawBufferPointer
    ) -> Int {
        // Through a buffer pointer: the descriptors are borrowed, not copied (each copy retained its strings).
        columns.withUnsafeBufferPointer { columns in
            var written = 0
            for index in 0..<count where RowImageWalker.isSet(present, index) {
                steps[written] = ValueStep(VerboseColumn(columns[index]), column: index)
                written &+= 1
            }
            return written
        }
    }
}
