import MySQLWire

/// Why a checksum could not be computed or compared, in words that name the table, file or server and say what to do.
package struct ChecksumError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// The server refused a statement or the connection broke.
        package static let server = Code(name: "server")
        /// The user may not read a table or `information_schema`.
        package static let privilege = Code(name: "privilege")
        /// A table to hash is not on the server.
        package static let noSuchTable = Code(name: "noSuchTable")
        /// An `--expect` file that cannot be read or is not a checksum output or backup manifest.
        package static let badExpectation = Code(name: "badExpectation")
        package var description: String { self.name }
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { self.message }

    /// Server error numbers that mean a privilege is missing.
    static let privilegeCodes = ServerErrorCode.privilegeMissing

    /// Runs `body`, rewriting a ``MySQLError`` into a ``ChecksumError`` that names `step` (the server is in the
    /// error's own text).
    static func during<T: Sendable>(_ step: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MySQLError {
            if let serverError = error.serverError, self.privilegeCodes.contains(serverError.code) {
                throw ChecksumError(
                    .privilege,
                    "\(step) was refused: \(error); a checksum needs SELECT on the tables it reads"
                )
            }
            throw ChecksumError(.server, "\(step) failed: \(error)")
        }
    }
}
