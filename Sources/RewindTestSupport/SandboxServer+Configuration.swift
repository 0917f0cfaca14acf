import MySQLWire

extension SandboxServer {
    /// A connection configuration for this server (TLS off unless asked for).
    package func configuration(
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
