import NIOCore

/// The `LOAD DATA INFILE` events of statement-based logging: `BEGIN_LOAD_QUERY` (17) and `APPEND_BLOCK` (9)
/// carry file contents; `EXECUTE_LOAD_QUERY` (18) carries the statement; `CREATE_FILE` (8), `EXEC_LOAD` (10)
/// and `DELETE_FILE` (11) are their MySQL 4.x forms.
public struct LoadDataEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case beginLoadQuery, appendBlock, executeLoadQuery, createFile, execLoad, deleteFile
    }

    public var kind: Kind
    public var fileID: UInt32
    /// File contents of a block event (BEGIN_LOAD_QUERY, APPEND_BLOCK, CREATE_FILE).
    public var block: [UInt8]
    /// The statement of an EXECUTE_LOAD_QUERY event.
    public var query: QueryEvent?

    static func decode(
        from body: inout ByteBuffer, type: BinlogEventType, postHeaderLength: Int, queryPostHeaderLength: Int
    ) throws -> Self {
        switch type {
        case .executeLoadQuery:
            // A QUERY post-header, then file_id (4), start_pos (4), end_pos (4), dup_handling (1).
            var copy = body
            let threadID = try copy.readLittleEndian(UInt32.self, field: "thread_id")
            let executionTime = try copy.readLittleEndian(UInt32.self, field: "exec_time")
            let databaseLength = Int(try copy.readLittleEndian(UInt8.self, field: "db_len"))
            let errorCode = try copy.readLittleEndian(UInt16.self, field: "error_code")
            let statusLength = Int(try copy.readLittleEndian(UInt16.self, field: "status_vars_len"))
            let fileID = try copy.readLittleEndian(UInt32.self, field: "file_id")
            try copy.skip(max(0, postHeaderLength - 17), field: "post_header")
            var statusBytes = try copy.readSlice(length: statusLength, field: "status_vars")
            let status = try QueryStatusVariables.decode(from: &statusBytes)
            let database = try copy.readBytes(length: databaseLength, field: "db_name")
            try copy.skip(1, field: "db_name.nul")
            let query = try copy.readBytes(length: copy.readableBytes, field: "query")
            body = copy
            let event = QueryEvent(
                threadID: threadID, executionTime: executionTime, errorCode: errorCode, database: database,
                query: query, status: status)
            return Self(kind: .executeLoadQuery, fileID: fileID, block: [], query: event)
        case .beginLoadQuery, .appendBlock:
            let fileID = try body.readLittleEndian(UInt32.self, field: "file_id")
            try body.skip(max(0, postHeaderLength - 4), field: "post_header")
            let block = try body.readBytes(length: body.readableBytes, field: "block")
            return Self(kind: type == .appendBlock ? .appendBlock : .beginLoadQuery, fileID: fileID, block: block)
        case .execLoad, .deleteFile:
            let fileID = try body.readLittleEndian(UInt32.self, field: "file_id")
            try body.skip(body.readableBytes, field: "rest")
            return Self(kind: type == .execLoad ? .execLoad : .deleteFile, fileID: fileID, block: [])
        default:  // CREATE_FILE: a LOAD post-header whose layout varies by version; keep the bytes.
            try body.skip(min(body.readableBytes, postHeaderLength), field: "post_header")
            let block = try body.readBytes(length: body.readableBytes, field: "block")
            return Self(kind: .createFile, fileID: 0, block: block)
        }
    }
}
