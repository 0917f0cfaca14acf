import Foundation
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
        #expect(error?.description.contains("the server offers no TLS") == true, "\(error.map { "\($0)" } ?? "")")
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

    /// Each certificate check that fails says which one it was: the chain's trust, the expiry, the host name. The
    /// server's certificate is swapped with `FLUSH SSL` (MariaDB rereads the files it was started with).
    @Test func eachFailedCertificateCheckSaysWhichCheckFailed() async throws {
        _ = try SandboxServer.required()
        let certificates = try await TestCertificates.generate()
        defer { certificates.remove() }
        let activeCertificate = certificates.directory + "/active-cert.pem"
        let activeKey = certificates.directory + "/active-key.pem"
        func install(_ certificate: String, _ key: String, on server: SandboxServer) async throws {
            for (source, target) in [(certificate, activeCertificate), (key, activeKey)] {
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: source, toPath: target)
            }
            _ = try await SandboxInstance.rootQuery("FLUSH SSL", socket: try #require(server.socket))
        }
        func failure(_ tls: MySQLConnection.TLS, on server: SandboxServer) async -> MySQLError? {
            await #expect(throws: MySQLError.self) {
                try await MySQLConnection.withConnection(
                    configuration: server.configuration(tls: tls), logger: testLogger
                ) {
                    _ in
                }
            }
        }
        try FileManager.default.copyItem(atPath: certificates.serverCertificate, toPath: activeCertificate)
        try FileManager.default.copyItem(atPath: certificates.serverKey, toPath: activeKey)
        try await SandboxInstance.withInstance(
            named: "wire-tls-checks",
            options: [
                "--ssl-ca=\(certificates.caCertificate)", "--ssl-cert=\(activeCertificate)", "--ssl-key=\(activeKey)",
            ]
        ) { server in
            // Chain not trusted: the CA given did not sign the server's certificate.
            let untrusted = await failure(.init(mode: .verifyCA, caFile: certificates.otherCACertificate), on: server)
            #expect(untrusted?.code == .tlsFailed)
            let untrustedText = untrusted.map { "\($0)" } ?? ""
            #expect(
                untrustedText.contains("chain check failed") && untrustedText.contains("not trusted"),
                "\(untrustedText)")
            #expect(untrustedText.contains(certificates.otherCACertificate), "names the CA file: \(untrustedText)")
            #expect(!untrustedText.contains("expired"), "\(untrustedText)")

            // Expired: signed by the right CA, but valid until yesterday.
            try await install(certificates.expiredCertificate, certificates.expiredKey, on: server)
            let expired = await failure(.init(mode: .verifyCA, caFile: certificates.caCertificate), on: server)
            #expect(expired?.code == .tlsFailed)
            let expiredText = expired.map { "\($0)" } ?? ""
            #expect(expiredText.contains("expiry check failed") && expiredText.contains("expired on"), "\(expiredText)")
            #expect(!expiredText.contains("not trusted"), "\(expiredText)")
            #expect(!expiredText.contains("closed channel"), "\(expiredText)")

            // Host name: signed by the right CA, valid, but for other names. VERIFY_CA does not check names.
            try await install(certificates.wrongHostCertificate, certificates.wrongHostKey, on: server)
            let wrongHost = await failure(.init(mode: .verifyIdentity, caFile: certificates.caCertificate), on: server)
            #expect(wrongHost?.code == .tlsFailed)
            let wrongHostText = wrongHost.map { "\($0)" } ?? ""
            #expect(wrongHostText.contains("host name check failed"), "\(wrongHostText)")
            #expect(wrongHostText.contains("127.0.0.1"), "names the host: \(wrongHostText)")
            #expect(!wrongHostText.contains("expired") && !wrongHostText.contains("not trusted"), "\(wrongHostText)")
            try await MySQLConnection.withConnection(
                configuration: server.configuration(tls: .init(mode: .verifyCA, caFile: certificates.caCertificate)),
                logger: testLogger
            ) { try await $0.ping() }
            print("TLS failures:\n  \(untrustedText)\n  \(expiredText)\n  \(wrongHostText)")
        }
    }
}
