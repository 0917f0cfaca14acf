import Logging
import MySQLWire
import RewindTestSupport
import Testing

extension SandboxServer {
    /// The sandbox from the environment; a failure (not a skip) when it is missing, since the suites only run when
    /// ``SandboxServer/shouldRun`` says so (always under CI).
    static func required() throws -> SandboxServer {
        try #require(SandboxServer.fromEnvironment, "REWIND_MYSQL_* is not set: run `eval $(scripts/sandbox env)`")
    }

    func configuration(
        password: String? = nil,
        tls: MySQLConnection.TLS = .init(mode: .disabled),
        useSocket: Bool = false,
        queryTimeout: Duration? = nil
    ) -> MySQLConnection.Configuration {
        let endpoint: MySQLConnection.Configuration.Endpoint =
            useSocket && self.socket != nil ? .unixSocket(path: self.socket!) : .tcp(host: self.host, port: self.port)
        return MySQLConnection.Configuration(
            endpoint: endpoint,
            username: self.user,
            password: password ?? self.password,
            tls: tls,
            // Generous: CPU-bound suites (corpus mutation) share the two cooperative threads with these tests,
            // so a login may wait seconds for a thread; a real timeout is tested with its own short value.
            connectTimeout: .seconds(120),
            queryTimeout: queryTimeout
        )
    }
}

let testLogger = Logger(label: "rewind.tests.mysqlwire")
