import MySQLWire
import RewindTestSupport
import Testing

/// MariaDB's ed25519 authentication, live: a user `IDENTIFIED VIA ed25519` logs in with client_ed25519.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct Ed25519IntegrationTests {
    @Test func ed25519UserLogsInAndAWrongPasswordIsRefused() async throws {
        let server = try SandboxServer.required()
        let socket = try #require(server.socket)
        let installed = try await SandboxInstance.rootQuery(
            "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'ed25519'",
            socket: socket
        )
        if installed.trimmingCharacters(in: .whitespacesAndNewlines) == "0" {
            _ = try await SandboxInstance.rootQuery("INSTALL SONAME 'auth_ed25519'", socket: socket)
        }
        let user = "ed_\(UInt32.random(in: 0...UInt32.max))"
        let password = "Pässwörd of \(UInt32.random(in: 0...UInt32.max)) — any length"
        _ = try await SandboxInstance.rootQuery(
            "CREATE USER '\(user)'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('\(password)')",
            socket: socket
        )
        defer { Task { _ = try? await SandboxInstance.rootQuery("DROP USER '\(user)'@'%'", socket: socket) } }

        var configuration = server.configuration(password: password)
        configuration.username = user
        // Several logins: each has a fresh 32-byte nonce (one ending in a 0 byte must not lose it).
        for _ in 0..<5 {
            let current = try await MySQLConnection.withConnection(configuration: configuration, logger: testLogger) {
                try await $0.rows("SELECT CURRENT_USER()").first?[0].string
            }
            #expect(current == "\(user)@%")
        }

        configuration.password = password + "x"
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.withConnection(configuration: configuration, logger: testLogger) { _ in }
        }
        #expect(error?.serverError?.code == 1045, "\(String(describing: error))")
    }
}
