import NIOCore

extension MySQLConnection {
    /// Runs one statement with `COM_QUERY` and hands its rows to `body` as they arrive, in batches.
    ///
    /// Memory holds one batch (about `maximumBatchBytes`, or one row when a row is larger), whatever the result's
    /// size. When `body` returns before the last row, the rest is read and dropped; when it throws, the connection
    /// is closed (a half-read result cannot be abandoned otherwise).
    ///
    /// - Parameters:
    ///   - sql: One statement.
    ///   - maximumBatchBytes: Rows are handed on once this many bytes of values have arrived (default 1 MiB).
    ///   - body: Reads the stream; it must not keep it beyond its return.
    /// - Returns: What `body` returns.
    /// - Throws: ``MySQLError`` with the server's error, a connection error, or what `body` throws.
    public nonisolated func withRowStream<Result: Sendable>(
        _ sql: String,
        maximumBatchBytes: Int = 1 << 20,
        _ body: (MySQLRowStream) async throws -> Result
    ) async throws -> Result {
        let columns = try await self.startRowStream(sql)
        let stream = MySQLRowStream(columns: columns, connection: self, maximumBatchBytes: maximumBatchBytes)
        let result: Result
        do {
            result = try await body(stream)
        } catch {
            await self.abandonRowStream()
            throw error
        }
        while try await stream.next() != nil {}
        return result
    }
}
