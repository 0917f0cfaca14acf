/// One row image as the byte ranges of its values, for renderers that write values straight from the row
/// bytes (flashback's undo SQL) instead of decoding each into a ``MySQLValue``: one ``Slot`` per table
/// column, reused from row to row.
package struct RawRowImage: Sendable {
    /// Where one column's value is.
    package struct Slot: Sendable {
        package enum State: UInt8, Sendable {
            /// The image leaves the column out (`binlog_row_image=MINIMAL|NOBLOB`, or the event has fewer
            /// columns than the table map).
            case absent
            case null
            case value
            /// A JSON column of a partial update's after image that holds a diff list, not a document.
            case jsonDiff
        }

        package var state: State
        /// Byte range of the value (a string's length prefix included) in the event's row data.
        package var start: Int
        package var end: Int
    }

    package var slots: [Slot]

    package init(columnCount: Int) {
        self.slots = Array(repeating: Slot(state: .absent, start: 0, end: 0), count: columnCount)
    }

    /// Whether every column has a value or NULL (no column left out, no JSON diff).
    package var isComplete: Bool {
        self.slots.allSatisfy { $0.state == .value || $0.state == .null }
    }
}
