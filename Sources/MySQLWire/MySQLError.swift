/// The one public error type of `MySQLWire`: what went wrong, the server's own error when there is one, and where.
///
/// ``description`` is a sentence: the server address, the operation, the server's error number, SQLSTATE and message
/// or what went wrong in words (never the code's name); it never
/// shows a password, auth data or row values.
public struct MySQLError: Error, Sendable, CustomStringConvertible {
    /// An open set of error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case server, connectionFailed, connectionClosed, timeout, protocolViolation, unsupported
            case authenticationFailed, tlsRequired, tlsFailed, connectionBusy
        }
        private let base: Base
        /// The server answered with an ERR packet; ``MySQLError/serverError`` has its number, SQLSTATE and message.
        public static let server = Code(base: .server)
        /// The TCP or Unix-socket connection could not be opened.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The server closed the connection (or it broke) while a request was running.
        public static let connectionClosed = Code(base: .connectionClosed)
        /// Connecting or a request took longer than its configured timeout; the connection is closed.
        public static let timeout = Code(base: .timeout)
        /// The server sent bytes that do not follow the protocol.
        public static let protocolViolation = Code(base: .protocolViolation)
        /// The server asks for something this client does not implement (an auth plugin, an old protocol).
        public static let unsupported = Code(base: .unsupported)
        /// The client could not authenticate (the server's own refusal is a ``server`` error instead).
        public static let authenticationFailed = Code(base: .authenticationFailed)
        /// TLS was required but the server does not offer it.
        public static let tlsRequired = Code(base: .tlsRequired)
        /// TLS could not be set up (bad certificate, failed verification, handshake error).
        public static let tlsFailed = Code(base: .tlsFailed)
        /// A second request was started on a connection while another one was running.
        public static let connectionBusy = Code(base: .connectionBusy)
        public var description: String { self.base.rawValue }
    }

    /// An error the server reported in an ERR packet.
    public struct ServerError: Hashable, Sendable {
        /// The server's error number, e.g. 1045 (`ER_ACCESS_DENIED_ERROR`).
        public var code: UInt16
        /// The five-character SQLSTATE, e.g. `28000`.
        public var sqlState: String
        /// The server's message.
        public var message: String

        public init(code: UInt16, sqlState: String, message: String) {
            self.code = code
            self.sqlState = sqlState
            self.message = message
        }
    }

    public var code: Code
    /// What happened, in words.
    public var reason: String
    /// Set for ``Code/server``.
    public var serverError: ServerError?
    /// The server address (`host:port` or the socket path), set by the connection.
    public var server: String?
    /// What the client was doing (`handshake`, `query`, `binlog dump`), set by the connection.
    public var context: String?
    /// The underlying error (a socket, TLS or decoding error), if any.
    public var cause: (any Error & Sendable)?
    /// Where the error was thrown.
    public var sourceFile: String
    public var sourceLine: Int

    public init(
        code: Code,
        reason: String,
        serverError: ServerError? = nil,
        server: String? = nil,
        context: String? = nil,
        cause: (any Error & Sendable)? = nil,
        sourceFile: String = #fileID,
        sourceLine: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.serverError = serverError
        self.server = server
        self.context = context
        self.cause = cause
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    public var description: String {
        var text = ""
        if let server { text += "\(server): " }
        if let context { text += "\(context): " }
        if let serverError {
            text += "ERROR \(serverError.code) (\(serverError.sqlState)): \(serverError.message)"
            if serverError.code == ServerErrorCode.noBinaryLogging
                || (serverError.code == ServerErrorCode.binlogDumpFailed
                    && serverError.message.contains("Binary log is not open"))
            {
                text +=
                    " (the server writes no binary log: log_bin is off, so there is nothing to read or archive; "
                    + "turn it on as deploy/ sets it up, `rewind status` checks it)"
            }
        } else {
            // A sentence for people, not the code's name.
            if self.code == .protocolViolation { text += "the server broke the MySQL protocol: " }
            text += self.reason
            if let cause { text += " (\(cause))" }
        }
        return text
    }

    /// The same error with the server address and the operation filled in where they are not yet set.
    func adding(server: String?, context: String?) -> Self {
        var copy = self
        if copy.server == nil { copy.server = server }
        if copy.context == nil { copy.context = context }
        return copy
    }

    static func server(_ error: ServerError, file: String = #fileID, line: Int = #line) -> Self {
        Self(code: .server, reason: error.message, serverError: error, sourceFile: file, sourceLine: line)
    }

    static func protocolViolation(
        _ reason: String,
        cause: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> Self {
        Self(code: .protocolViolation, reason: reason, cause: cause, sourceFile: file, sourceLine: line)
    }

    static func connectionClosed(
        _ reason: String = "the server closed the connection",
        cause: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> Self {
        Self(code: .connectionClosed, reason: reason, cause: cause, sourceFile: file, sourceLine: line)
    }
}

extension MySQLError: Equatable {
    /// Errors are equal when their codes and server errors are; reasons, context and source location are ignored.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.serverError == rhs.serverError
    }
}
