import MySQLWire
import RewindTestSupport
import Testing

/// TLS modes against a sandbox instance started with certificates this suite generates with openssl.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct TLSIntegrationTests {
    @Test func requiredFailsWhenTheServerHasNoTLS() async throws {
        let server = try SandboxServer.required()
        let hasSSL = try await SandboxInstance.rootQuery("SELECT @@have_ssl", socket: try #require(server.socket))
        try #require(!hasSSL.contains("YES"), "the main sandbox unexpectedly has TLS")
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.withConnection(
                configuration: server.configuration(tls: .init(mode: .required)),
                logger: testLogger
            ) { _ in }
        }
        #expect(error?.code == .tlsRequired)
    }

    @Test func tlsModesAgainstAServerWithGeneratedCertificates() async throws {
        _ = try SandboxServer.required()
        let certificates = try await TestCertificates.generate()
        defer { certificates.remove() }
        try await SandboxInstance.withInstance(
            named: "wire-tls",
            options: [
                "--ssl-ca=\(certificates.caCertificate)", "--ssl-cert=\(certificates.serverCertificate)",
                "--ssl-key=\(certificates.serverKey)",
            ]
        ) { server in
            // REQUIRED: encrypted, certificate not checked.
            let cipher = try await MySQLConnection.withConnection(
                configuration: server.configuration(tls: .init(mode: .required)),
                logger: testLogger
            ) { connection in
                #expect(await connection.isTLS)
                return try await connection.rows("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?[1].string
            }
            #expect(cipher?.isEmpty == false)

            // PREFERRED upgrades when the server offers TLS.
            let preferred = try await MySQLConnection.withConnection(
                configuration: server.configuration(tls: .init(mode: .preferred)),
                logger: testLogger
            ) { await $0.isTLS }
            #expect(preferred)

            // VERIFY_CA with the right CA.
            try await MySQLConnection.withConnection(
                configuration: server.configuration(tls: .init(mode: .verifyCA, caFile: certificates.caCertificate)),
                logger: testLogger
            ) { try await $0.ping() }

            // VERIFY_IDENTITY: the certificate names 127.0.0.1.
            try await MySQLConnection.withConnection(
                configuration: server.configuration(
                    tls: .init(mode: .verifyIdentity, caFile: certificates.caCertificate)
                ),
                logger: testLogger
            ) { try await $0.ping() }

            // VERIFY_CA with a CA that did not sign the server's certificate.
            let error = await #expect(throws: MySQLError.self) {
                try await MySQLConnection.withConnection(
                    configuration: server.configuration(
                        tls: .init(mode: .verifyCA, caFile: certificates.otherCACertificate)
                    ),
                    logger: testLogger
                ) { _ in }
            }
            #expect(error?.code == .tlsFailed, "\(error.map { "\($0)" } ?? "no error")")
            // Which check failed, not what the socket saw afterwards.
            #expect(error?.description.contains("certificate is not trusted") == true, "\(error.map { "\($0)" } ?? "")")
            #expect(error?.description.contains("closed channel") == false)

            // A user that must present a client certificate.
            let socket = try #require(server.socket)
            _ = try await SandboxInstance.rootQuery(
                "CREATE USER 'x509'@'%' IDENTIFIED BY 'x509-pass' REQUIRE X509",
                socket: socket
            )
            var withCertificate = server.configuration(
                password: "x509-pass",
                tls: .init(
                    mode: .verifyCA,
                    caFile: certificates.caCertificate,
                    certificateFile: certificates.clientCertificate,
                    keyFile: certificates.clientKey
                )
            )
            withCertificate.username = "x509"
            let user = try await MySQLConnection.withConnection(configuration: withCertificate, logger: testLogger) {
                try await $0.rows("SELECT CURRENT_USER()").first?[0].string
            }
            #expect(user == "x509@%")
            var withoutCertificate = withCertificate
            withoutCertificate.tls = .init(mode: .required)
            let denied = await #expect(throws: MySQLError.self) {
                try await MySQLConnection.withConnection(configuration: withoutCertificate, logger: testLogger) { _ in }
            }
            #expect(denied?.serverError?.code == 1045)
        }
    }
}
