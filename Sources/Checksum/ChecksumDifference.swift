import BinlogFormat

/// How a table on the server differs from what an `--expect` file says.
package struct ChecksumDifference: Hashable, Sendable {
    package enum Kind: String, Hashable, Sendable {
        /// On both sides, with other rows or another hash.
        case differs
        /// In the file, not on the server.
        case missing
        /// On the server, not in the file.
        case extra
    }

    package var kind: Kind
    package var table: QualifiedTable
    /// The server's rows and hash (`nil` when ``Kind/missing``).
    package var actual: RowSetHash?
    /// The file's rows and hash (`nil` when ``Kind/extra``).
    package var expected: RowSetHash?

    package init(kind: Kind, table: QualifiedTable, actual: RowSetHash?, expected: RowSetHash?) {
        self.kind = kind
        self.table = table
        self.actual = actual
        self.expected = expected
    }
}
