/// One transaction of a parallel apply: its `BINLOG` statements (each ends its round trip), what it writes, and
/// where it ends in the chain.
struct ParallelTransaction: Sendable {
    /// Its number among the applied transactions (1 is the first after the backup), as recorded in
    /// `rewind_restore.applied` when it commits.
    var sequence: Int
    var statements: [[UInt8]]
    var bytes: Int
    var writeSet: WriteSet
    var end: ChainPosition
    /// How errors name it: its id (GTID, or `FILE:POS`) and where it starts.
    var name: String = ""
}
