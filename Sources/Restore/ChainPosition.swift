/// A byte in the chain of binlog files: the file's place in the chain and the offset in it.
struct ChainPosition: Hashable, Comparable, Sendable {
    var file: Int
    var offset: UInt64

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.file, lhs.offset) < (rhs.file, rhs.offset) }
}
