import Logging
import MySQLWire

/// Opens `count` connections to one server, runs `body` with all of them and closes them all.
enum ConnectionSet {
    static func with<Result: Sendable>(
        count: Int,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        _ body: ([MySQLConnection]) async throws -> Result
    ) async throws -> Result {
        try await self.open(count: count, configuration: configuration, logger: logger, opened: [], body)
    }

    private static func open<Result: Sendable>(
        count: Int,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        opened: [MySQLConnection],
        _ body: ([MySQLConnection]) async throws -> Result
    ) async throws -> Result {
        guard opened.count < count else { return try await body(opened) }
        return try await MySQLConnection.withConnection(configuration: configuration, logger: logger) { connection in
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
