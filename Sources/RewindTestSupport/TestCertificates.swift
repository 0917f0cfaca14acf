import Foundation

/// A throw-away certificate authority, server and client certificate made with `openssl` for TLS tests.
package struct TestCertificates: Sendable {
    package var directory: String
    package var caCertificate: String { self.directory + "/ca.pem" }
    package var serverCertificate: String { self.directory + "/server-cert.pem" }
    package var serverKey: String { self.directory + "/server-key.pem" }
    package var clientCertificate: String { self.directory + "/client-cert.pem" }
    package var clientKey: String { self.directory + "/client-key.pem" }
    /// A second CA that signed nothing here: verification against it must fail.
    package var otherCACertificate: String { self.directory + "/other-ca.pem" }
    /// A server certificate (and key) signed by the CA that expired yesterday.
    package var expiredCertificate: String { self.directory + "/expired-cert.pem" }
    package var expiredKey: String { self.directory + "/expired-key.pem" }
    /// A server certificate (and key) signed by the CA for other names: `wrong.example` and `10.9.9.9`.
    package var wrongHostCertificate: String { self.directory + "/wrong-host-cert.pem" }
    package var wrongHostKey: String { self.directory + "/wrong-host-key.pem" }

    /// Generates the files in a new temporary directory; the server certificate names `127.0.0.1` and `localhost`
    /// (`-days -1` makes the expired one: valid until a day before it was made).
    package static func generate() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewind-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(directory)'
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Rewind Test CA' \
                -keyout ca-key.pem -out ca.pem 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Other CA' \
                -keyout other-ca-key.pem -out other-ca.pem 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > server.ext
            openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout server-key.pem -out server.csr 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
                -extfile server.ext -out server-cert.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout expired-key.pem -out expired.csr 2>/dev/null
            openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days -1 \
                -extfile server.ext -out expired-cert.pem 2>/dev/null
            printf 'subjectAltName=DNS:wrong.example,IP:10.9.9.9\\nbasicConstraints=CA:FALSE\\n' > wrong-host.ext
            openssl req -newkey rsa:2048 -nodes -subj '/CN=wrong.example' -keyout wrong-host-key.pem \
                -out wrong-host.csr 2>/dev/null
            openssl x509 -req -in wrong-host.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
                -extfile wrong-host.ext -out wrong-host-cert.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj '/CN=rewind-client' -keyout client-key.pem -out client.csr 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
                -out client-cert.pem 2>/dev/null
            chmod 644 *.pem
            """
        _ = try await SandboxInstance.runOffPool(["-c", script], executable: "bash")
        return TestCertificates(directory: directory)
    }

    package func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }
}
