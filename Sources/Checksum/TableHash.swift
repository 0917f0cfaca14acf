import BinlogFormat

/// A table's row count and ``RowSetHash``, as `rewind checksum` prints it and a backup manifest records it.
package struct TableHash: Hashable, Sendable {
    package var name: QualifiedTable
    package var hash: RowSetHash

    package init(name: QualifiedTable, hash: RowSetHash) {
        self.name = name
        self.hash = hash
    }
}
