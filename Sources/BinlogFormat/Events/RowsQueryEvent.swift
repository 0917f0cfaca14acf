import NIOCore

/// `ROWS_QUERY_LOG_EVENT` (29) and MariaDB's `ANNOTATE_ROWS_EVENT` (160): the SQL text of the statement that
/// produced the row events that follow (`binlog_rows_query_log_events`, `binlog_annotate_row_events`).
///
///     MySQL:   ┌────────────────────────┬──────────────┐     MariaDB: ┌──────────────┐
///              │ length (1, truncated)  │ query (rest) │              │ query (rest) │
///              └────────────────────────┴──────────────┘              └──────────────┘
public struct RowsQueryEvent: Hashable, Sendable {
    /// The statement as the client sent it (bytes: it need not be UTF-8).
    public var query: [UInt8]

    public init(query: [UInt8]) { self.query = query }

    static func decode(from body: inout ByteBuffer, isMariaDBAnnotate: Bool) throws -> Self {
        if !isMariaDBAnnotate { try body.skip(1, field: "length") }
        return Self(query: try body.readBytes(length: body.readableBytes, field: "query"))
    }
}
