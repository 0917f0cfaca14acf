import NIOCore

/// One row of a streamed result as the server sent it: its values are read in place, without a copy or an
/// allocation per row or value (a ``MySQLRow`` holds an array of buffers for each row).
///
/// The row was checked when it arrived (every value lies within the packet, none is left over).
public struct MySQLRowView: Hashable, Sendable {
    /// The row's packet payload: length-encoded values, `0xFB` for NULL.
    let payload: ByteBuffer
    /// How many values the row has.
    public let count: Int

    /// A row whose payload ``TextResultRow/validate(_:columnCount:)`` accepted.
    init(checkedPayload payload: ByteBuffer, count: Int) {
        self.payload = payload
        self.count = count
    }

    /// Calls `body` with each value's text bytes in column order (`nil` for NULL). The bytes are valid only
    /// during the call.
    ///
    /// - Throws: What `body` throws (the row's bytes were checked when it arrived).
    public func forEachValue(_ body: (_ index: Int, _ bytes: UnsafeRawBufferPointer?) throws -> Void) throws {
        try self.payload.withUnsafeReadableBytes { bytes in
            try TextResultRow.forEachValue(in: bytes, columnCount: self.count, body)
        }
    }

    /// The row as a ``MySQLRow`` with its columns (a buffer per value: for tests and small results).
    ///
    /// - Throws: Nothing for a row checked on arrival; ``MySQLError`` otherwise.
    public func row(columns: [MySQLColumn]) throws -> MySQLRow {
        var payload = self.payload
        return MySQLRow(
            columns: columns, values: try TextResultRow.decode(from: &payload, columnCount: self.count).values)
    }
}
