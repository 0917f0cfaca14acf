/// The rows of a streamed result that arrived together (``MySQLRowStream/next()``), read in place.
///
/// Each row is its packet's payload, a slice of what the socket read: no per-row arrays or per-value buffers.
/// Visit them with ``MySQLRowView/forEachValue(_:)``.
public struct MySQLRowBatch: Sendable, RandomAccessCollection {
    /// The result's columns.
    public let columns: [MySQLColumn]
    private let rows: [MySQLRowView]

    init(columns: [MySQLColumn], rows: [MySQLRowView]) {
        self.columns = columns
        self.rows = rows
    }

    public var startIndex: Int { self.rows.startIndex }
    public var endIndex: Int { self.rows.endIndex }
    public subscript(position: Int) -> MySQLRowView { self.rows[position] }
}
