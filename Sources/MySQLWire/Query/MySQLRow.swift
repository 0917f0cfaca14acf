import NIOCore

/// A row of a text result set. Values stay the bytes the server sent; ``MySQLCell`` reads them as types.
public struct MySQLRow: Hashable, Sendable, RandomAccessCollection {
    public let columns: [MySQLColumn]
    /// Text values, `nil` for NULL.
    public let values: [ByteBuffer?]

    public init(columns: [MySQLColumn], values: [ByteBuffer?]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.values.count }

    public subscript(position: Int) -> MySQLCell {
        MySQLCell(column: self.columns[position], bytes: self.values[position])
    }

    /// The first cell whose column has this name (case-insensitive, as SQL names are), or `nil`.
    public subscript(name: String) -> MySQLCell? {
        let lowered = name.lowercased()
        guard let index = self.columns.firstIndex(where: { $0.name.lowercased() == lowered }) else { return nil }
        return self[index]
    }
}
