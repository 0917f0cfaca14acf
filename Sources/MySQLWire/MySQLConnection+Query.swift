import NIOCore

extension MySQLConnection {
    /// Runs SQL text with `COM_QUERY` and returns one result per statement (several for a multi-statement).
    ///
    /// - Parameter sql: One or more statements separated by `;`.
    /// - Returns: The results in order: rows for SELECT-like statements, counts for the others.
    /// - Throws: ``MySQLError``: ``MySQLError/Code-swift.struct/server`` with the server's error number, SQLSTATE and
    ///   message (the results of statements before the failing one are dropped), or a connection error.
    public func query(_ sql: String) async throws -> [MySQLResultSet] {
        try await self.run(.query(sql))
    }

    /// Runs SQL given as raw bytes (string literals that hold binary data, which a `String` cannot carry).
    ///
    /// - Parameter sql: One or more statements.
    /// - Returns: The results in order, as ``query(_:)``.
    /// - Throws: ``MySQLError`` as ``query(_:)``.
    public func query(bytes sql: ByteBuffer) async throws -> [MySQLResultSet] {
        try await self.run(.queryBytes(sql))
    }

    /// Runs a statement built in its packet's payload, sending it without another copy.
    ///
    /// - Parameter statement: One or more statements.
    /// - Returns: The results in order, as ``query(_:)-(String)``.
    /// - Throws: ``MySQLError`` as ``query(_:)-(String)``.
    public func query(_ statement: MySQLStatementBuffer) async throws -> [MySQLResultSet] {
        try await self.run(payload: statement.payload)
    }

    private func run(_ command: ClientCommand) async throws -> [MySQLResultSet] {
        var payload = ByteBuffer()
        try command.encode(into: &payload)
        return try await self.run(payload: payload)
    }

    private func run(payload: ByteBuffer) async throws -> [MySQLResultSet] {
        try await self.withRequest(context: "query", timeout: self.configuration.queryTimeout) {
            self.logger.trace("query", metadata: ["mysql.connection_id": "\(self.connectionID)"])
            try await self.sendCommand(payload: payload)
            var machine = QueryStateMachine(capabilities: self.capabilities)
            while true {
                switch machine.packetReceived(try await self.receive().payload) {
                case .wait: continue
                case .finished(let results): return results
                case .fail(let error): throw error
                }
            }
        }
    }

    /// Runs a query that returns at most one result set and gives its rows (empty for statements without rows).
    public func rows(_ sql: String) async throws -> [MySQLRow] {
        try await self.query(sql).last?.rows ?? []
    }
}
