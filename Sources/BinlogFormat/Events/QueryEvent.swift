import NIOCore

/// `QUERY_EVENT` (2), and MariaDB's `QUERY_COMPRESSED_EVENT` (165) once its text is inflated: a statement
/// (DDL, `BEGIN`, `COMMIT`, or DML in statement format) with the session state it ran under.
///
///     post-header: ┌───────────────┬───────────────┬────────────┬────────────────┬──────────────────────┐
///                  │ thread_id (4) │ exec_time (4) │ db_len (1) │ error_code (2) │ status_vars_len (2)* │
///                  └───────────────┴───────────────┴────────────┴────────────────┴──────────────────────┘
///     body:        status vars │ db name │ NUL │ query (rest)          (* v4 only; v3 has no status vars)
public struct QueryEvent: Hashable, Sendable {
    public var threadID: UInt32
    public var executionTime: UInt32
    public var errorCode: UInt16
    public var database: [UInt8]
    /// The statement text as bytes in the session's character set (never repaired to UTF-8).
    public var query: [UInt8]
    public var status: QueryStatusVariables

    public init(
        threadID: UInt32, executionTime: UInt32, errorCode: UInt16, database: [UInt8], query: [UInt8],
        status: QueryStatusVariables
    ) {
        self.threadID = threadID
        self.executionTime = executionTime
        self.errorCode = errorCode
        self.database = database
        self.query = query
        self.status = status
    }

    /// The database name as text.
    public var databaseName: String { String(decoding: self.database, as: UTF8.self) }

    /// Whether the text is `BEGIN` (a transaction starts).
    public var isBegin: Bool { Self.equalsKeyword(self.query, "BEGIN") }
    /// Whether the text is `COMMIT` (a non-XA transaction ends).
    public var isCommit: Bool { Self.equalsKeyword(self.query, "COMMIT") }
    /// Whether the text is `ROLLBACK`.
    public var isRollback: Bool { Self.equalsKeyword(self.query, "ROLLBACK") }
    /// Whether the text starts an XA transaction (`XA START`/`XA BEGIN`).
    public var isXAStart: Bool {
        let upper = self.query.prefix(9).map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        return upper.starts(with: Array("XA START".utf8)) || upper.starts(with: Array("XA BEGIN".utf8))
    }

    static func equalsKeyword(_ bytes: [UInt8], _ keyword: StaticString) -> Bool {
        guard bytes.count == keyword.utf8CodeUnitCount else { return false }
        return keyword.withUTF8Buffer { key in
            for index in 0..<key.count {
                let byte = bytes[index]
                let upper = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
                if upper != key[index] { return false }
            }
            return true
        }
    }

    static func decode(from body: inout ByteBuffer, postHeaderLength: Int, compressed: Bool) throws -> Self {
        let threadID = try body.readLittleEndian(UInt32.self, field: "thread_id")
        let executionTime = try body.readLittleEndian(UInt32.self, field: "exec_time")
        let databaseLength = Int(try body.readLittleEndian(UInt8.self, field: "db_len"))
        let errorCode = try body.readLittleEndian(UInt16.self, field: "error_code")
        var status = QueryStatusVariables()
        if postHeaderLength >= 13 {
            let statusLength = Int(try body.readLittleEndian(UInt16.self, field: "status_vars_len"))
            try body.skip(postHeaderLength - 13, field: "post_header")
            var statusBytes = try body.readSlice(length: statusLength, field: "status_vars")
            status = try QueryStatusVariables.decode(from: &statusBytes)
        } else {
            try body.skip(max(0, postHeaderLength - 11), field: "post_header")
        }
        let database = try body.readBytes(length: databaseLength, field: "db_name")
        try body.skip(1, field: "db_name.nul")
        var query = try body.readBytes(length: body.readableBytes, field: "query")
        if compressed {
            var compressedText = ByteBuffer(bytes: query)
            query = try MariaDBCompression.inflate(&compressedText, field: "query")
        }
        return Self(
            threadID: threadID, executionTime: executionTime, errorCode: errorCode, database: database,
            query: query, status: status)
    }
}
