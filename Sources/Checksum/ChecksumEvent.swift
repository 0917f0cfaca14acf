import BinlogFormat

/// What a running ``ServerChecksum`` reports, for a progress display.
package enum ChecksumEvent: Sendable {
    /// The tables are cut into chunks: how many, and the tables' estimated bytes (`information_schema`).
    case planned(tables: Int, chunks: Int, estimatedBytes: UInt64)
    /// One chunk (a key range, or a whole table) is hashed.
    case chunkDone(table: QualifiedTable, rows: UInt64, estimatedBytes: UInt64)
    /// Every chunk of a table is hashed.
    case tableDone(TableHash)
}
