import Checksum

/// One unit of dump work: a table's key range, written to one file.
struct ChunkPlan: Sendable {
    var tableIndex: Int
    var chunkIndex: Int
    var file: String
    /// The `WHERE` condition of the range; `nil` for the whole table.
    var condition: String?
    /// Estimated bytes of table data, to start the big ones first.
    var estimatedBytes: UInt64
}
