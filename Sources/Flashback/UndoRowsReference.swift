/// Where the rows of one row event to undo are: flashback's first pass notes these, its second pass reads
/// the events again from the binlogs, newest first, and renders their undo.
struct UndoRowsReference: Sendable, Equatable {
    /// Index of the binlog file among those read.
    var file: UInt32
    /// Byte offset of the event (of the TRANSACTION_PAYLOAD holding it, when ``inner`` > 0).
    var position: UInt64
    /// The event's size in bytes.
    var size: UInt32
    /// Index of its table in the plan's tables.
    var table: UInt32
    /// 0 for a row event of the file; `n` for the `n`-th event inside a TRANSACTION_PAYLOAD (MySQL's
    /// compressed transactions, whose inner events have no position of their own).
    var inner: UInt32
}
