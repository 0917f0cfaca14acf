import Logging

extension MySQLConnection {
    /// The server's address (`host:port` or the socket path), for messages.
    package nonisolated var serverAddress: String { self.configuration.endpoint.description }

    /// Opens `count` connections to one server, runs `body` with all of them and closes them all, also when `body`
    /// throws (each through ``withConnection(configuration:eventLoopGroup:logger:_:)``).
    ///
    /// - Parameters:
    ///   - count: How many connections (workers of a parallel backup, load or checksum).
    ///   - configuration: How to reach the server.
    ///   - logger: As for ``withConnection(configuration:eventLoopGroup:logger:_:)``.
    ///   - body: Works with the connections; it must not keep them beyond its return.
    /// - Returns: What `body` returns.
    /// - Throws: ``MySQLError`` when a connection cannot be opened, or what `body` throws.
    package static func withConnections<Result: Sendable>(
        count: Int,
        configuration: Configuration,
        logger: Logger,
        _ body: ([MySQLConnection]) async throws -> Result
    ) async throws -> Result {
        try await self.open(count: count, configuration: configuration, logger: logger, opened: [], body)
    }

    private static func open<Result: Sendable>(
        count: Int,
        configuration: Configuration,
        logger: Logger,
        opened: [MySQLConnection],
        _ body: ([MySQLConnection]) async throws -> Result
    ) async throws -> Result {
        guard opened.count < count else { return try await body(opened) }
        return try await self.withConnection(configuration: configuration, logger: logger) { connection in
            try await self.open(
                count: count,
                configuration: configuration,
                logger: logger,
                opened: opened + [connection],
                body
            )
        }
    }
}
