/// The rows of one streamed query, read from the socket batch by batch as the consumer asks for them.
///
/// Get one from ``MySQLConnection/withRowStream(_:maximumBatchBytes:_:)``. Nothing is read ahead beyond the
/// channel's small packet buffer, so a slow consumer (compression, disk) holds the server back instead of filling
/// memory: the back-pressure is TCP's.
public struct MySQLRowStream: Sendable {
    /// The result's columns; empty for a statement that returns no rows.
    public let columns: [MySQLColumn]
    let connection: MySQLConnection
    let maximumBatchBytes: Int

    /// The next rows in order (at least one), or `nil` after the last.
    ///
    /// - Throws: ``MySQLError`` when the server reports an error mid-result (e.g. the query was killed) or the
    ///   connection breaks.
    public func next() async throws -> MySQLRowBatch? {
        guard let rows = try await self.connection.nextRowBatch(maximumBytes: self.maximumBatchBytes) else {
            return nil
        }
        return MySQLRowBatch(columns: self.columns, rows: rows)
    }
}
