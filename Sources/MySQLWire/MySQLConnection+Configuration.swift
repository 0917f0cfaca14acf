import NIOCore
import NIOSSL

extension MySQLConnection {
    /// Where and how to connect. ``description`` never shows the password.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// A TCP address or a Unix socket path.
        public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
            case tcp(host: String, port: Int)
            case unixSocket(path: String)

            public var description: String {
                switch self {
                case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
                case .unixSocket(let path): path
                }
            }
        }

        public var endpoint: Endpoint
        public var username: String
        public var password: String
        /// The default schema (`USE …`), if any.
        public var database: String?
        public var tls: TLS
        /// Limit for opening the socket and logging in.
        public var connectTimeout: Duration
        /// Limit for each query (`nil`: none). When it passes, the connection is closed.
        public var queryTimeout: Duration?
        /// The server's RSA public key (PEM) for caching_sha2_password without TLS (`--server-public-key-path`).
        public var serverPublicKeyPEM: String?
        /// Ask the server for its RSA public key when needed (`--get-server-public-key`).
        public var requestServerPublicKey: Bool

        public init(
            endpoint: Endpoint,
            username: String,
            password: String,
            database: String? = nil,
            tls: TLS = TLS(mode: .preferred),
            connectTimeout: Duration = .seconds(10),
            queryTimeout: Duration? = nil,
            serverPublicKeyPEM: String? = nil,
            requestServerPublicKey: Bool = false
        ) {
            self.endpoint = endpoint
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.connectTimeout = connectTimeout
            self.queryTimeout = queryTimeout
            self.serverPublicKeyPEM = serverPublicKeyPEM
            self.requestServerPublicKey = requestServerPublicKey
        }

        public var description: String {
            "\(self.username)@\(self.endpoint) (TLS \(self.tls.mode.rawValue), password \(self.password.isEmpty ? "none" : "set"))"
        }
    }

    /// TLS settings, as the `mysql` client's `--ssl-*` options.
    public struct TLS: Sendable, Hashable {
        /// `--ssl-mode`.
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            /// No TLS.
            case disabled = "DISABLED"
            /// TLS when the server offers it, without verifying its certificate (the `mysql` default over TCP).
            case preferred = "PREFERRED"
            /// TLS or fail; the certificate is not verified.
            case required = "REQUIRED"
            /// TLS with the server certificate verified against the CA (`--ssl-ca`), not the host name.
            case verifyCA = "VERIFY_CA"
            /// As ``verifyCA`` and the certificate must name the host.
            case verifyIdentity = "VERIFY_IDENTITY"
        }

        public var mode: Mode
        /// `--ssl-ca`: PEM file of the certificate authorities to trust (default: the system's).
        public var caFile: String?
        /// `--ssl-cert`: the client certificate (PEM).
        public var certificateFile: String?
        /// `--ssl-key`: the client certificate's private key (PEM).
        public var keyFile: String?

        public init(mode: Mode, caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
            self.mode = mode
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }

        var decision: HandshakeStateMachine.TLSDecision {
            switch self.mode {
            case .disabled: .disabled
            case .preferred: .preferred
            case .required, .verifyCA, .verifyIdentity: .required
            }
        }

        /// The NIOSSL client configuration for this mode.
        func makeClientConfiguration() throws -> TLSConfiguration {
            var configuration = TLSConfiguration.makeClientConfiguration()
            switch self.mode {
            case .disabled, .preferred, .required:
                configuration.certificateVerification = .none
            case .verifyCA:
                configuration.certificateVerification = .noHostnameVerification
            case .verifyIdentity:
                configuration.certificateVerification = .fullVerification
            }
            do {
                if let caFile = self.caFile {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                }
                if let certificateFile = self.certificateFile {
                    configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map {
                        .certificate($0)
                    }
                }
                if let keyFile = self.keyFile {
                    configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
                }
            } catch {
                throw MySQLError(code: .tlsFailed, reason: "cannot read the TLS certificate or key files", cause: error)
            }
            return configuration
        }
    }
}
