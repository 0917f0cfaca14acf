import NIOCore

/// The connection phase, from the server's greeting to OK: TLS negotiation, the handshake response, auth switches
/// and the extra rounds of `caching_sha2_password`. Pure: it gets packets and says what to send; the connection
/// executes the actions.
struct HandshakeStateMachine {
    /// What the state machine needs to know about the login.
    struct Parameters: Sendable {
        var username: String
        var password: String
        var database: String?
        var tls: TLSDecision
        /// The transport is a Unix socket (secure enough for caching_sha2_password's clear-text full auth).
        var isUnixSocket: Bool
        /// The server's RSA public key (PEM), if the user supplied one.
        var serverPublicKeyPEM: String?
        /// Ask the server for its RSA public key when full auth needs it (`--get-server-public-key`).
        var requestServerPublicKey: Bool
        var attributes: [(key: String, value: String)] = [("_client_name", "rewind")]
    }

    /// Whether the connection is to use TLS.
    enum TLSDecision: Sendable, Equatable {
        case disabled
        /// Use TLS when the server offers it.
        case preferred
        /// Fail when the server does not offer TLS.
        case required
    }

    enum Action: Equatable {
        /// Send this request with the next sequence id, then start TLS and call ``tlsEstablished()``.
        case sendSSLRequestAndStartTLS(SSLRequest)
        case sendHandshakeResponse(HandshakeResponse41)
        case sendAuthData([UInt8])
        /// Nothing to send; wait for the next packet.
        case wait
        /// Logged in with these capabilities.
        case authenticated(HandshakeV10, CapabilityFlags)
        case fail(MySQLError)
    }

    private enum State {
        case waitingForGreeting
        case upgradingToTLS(HandshakeV10, CapabilityFlags)
        /// Waiting for OK, ERR, an auth switch or more data for `plugin`.
        case authenticating(HandshakeV10, CapabilityFlags, plugin: String, nonce: [UInt8], secure: Bool)
        case waitingForPublicKey(HandshakeV10, CapabilityFlags, nonce: [UInt8])
        case authenticated
        case failed
    }

    private var state: State = .waitingForGreeting
    private let parameters: Parameters

    init(parameters: Parameters) {
        self.parameters = parameters
    }

    mutating func greetingReceived(_ payload: ByteBuffer) -> Action {
        guard case .waitingForGreeting = self.state else {
            return self.fail(MySQLError.protocolViolation("unexpected greeting"))
        }
        var payload = payload
        if ERRPacket.starts(payload) {
            return self.fail(serverErrorIn: payload)
        }
        let greeting: HandshakeV10
        do {
            greeting = try HandshakeV10.decode(from: &payload)
        } catch {
            return self.fail(error as? MySQLError ?? .protocolViolation("greeting", cause: error))
        }
        var capabilities = CapabilityFlags.clientDefault.intersection(greeting.capabilities)
        capabilities.formIntersection(CapabilityFlags(rawValue: 0xFFFF_FFFF))  // no MariaDB extensions requested
        guard capabilities.contains(.protocol41), capabilities.contains(.secureConnection) else {
            return self.fail(MySQLError(code: .unsupported, reason: "server does not support protocol 4.1 auth"))
        }
        if self.parameters.database != nil { capabilities.insert(.connectWithDB) }

        let serverOffersTLS = greeting.capabilities.contains(.ssl)
        switch self.parameters.tls {
        case .disabled:
            break
        case .preferred where !serverOffersTLS:
            break
        case .required where !serverOffersTLS:
            return self.fail(
                MySQLError(
                    code: .tlsRequired,
                    reason: "TLS check failed: the server offers no TLS (its greeting does not announce CLIENT_SSL) "
                        + "and the TLS mode requires it; start the server with a certificate (ssl_cert, ssl_key)"
                )
            )
        case .preferred, .required:
            capabilities.insert(.ssl)
            self.state = .upgradingToTLS(greeting, capabilities)
            return .sendSSLRequestAndStartTLS(
                SSLRequest(capabilities: capabilities, maxPacketSize: 1 << 30, characterSet: Self.characterSet)
            )
        }
        return self.sendResponse(greeting: greeting, capabilities: capabilities, secure: false)
    }

    mutating func tlsEstablished() -> Action {
        guard case .upgradingToTLS(let greeting, let capabilities) = self.state else {
            return self.fail(MySQLError.protocolViolation("TLS established in the wrong state"))
        }
        return self.sendResponse(greeting: greeting, capabilities: capabilities, secure: true)
    }

    mutating func authPacketReceived(_ payload: ByteBuffer) -> Action {
        var payload = payload
        let header = payload.getInteger(at: payload.readerIndex, as: UInt8.self)
        switch (self.state, header) {
        case (.authenticating(let greeting, let capabilities, _, _, _), 0x00),
            (.waitingForPublicKey(let greeting, let capabilities, _), 0x00):
            self.state = .authenticated
            return .authenticated(greeting, capabilities)
        case (.authenticating, 0xFF), (.waitingForPublicKey, 0xFF):
            return self.fail(serverErrorIn: payload)
        case (.authenticating(let greeting, let capabilities, _, _, let secure), 0xFE):
            let request: AuthSwitchRequest
            do { request = try AuthSwitchRequest.decode(from: &payload) } catch { return self.fail(error) }
            let response: [UInt8]
            do {
                response = try self.initialAuthData(
                    plugin: request.pluginName,
                    nonce: request.pluginData,
                    secure: secure
                )
            } catch { return self.fail(error) }
            self.state = .authenticating(
                greeting,
                capabilities,
                plugin: request.pluginName,
                nonce: request.pluginData,
                secure: secure
            )
            return .sendAuthData(response)
        case (.authenticating(let greeting, let capabilities, let plugin, let nonce, let secure), 0x01)
        where plugin == CachingSHA2Password.pluginName:
            let more: AuthMoreData
            do { more = try AuthMoreData.decode(from: &payload) } catch { return self.fail(error) }
            switch more.data.first {
            case CachingSHA2Password.fastAuthSuccess:
                return .wait
            case CachingSHA2Password.performFullAuthentication:
                if secure {
                    return .sendAuthData(Array(self.parameters.password.utf8) + [0])
                }
                if let pem = self.parameters.serverPublicKeyPEM {
                    return self.encryptedPassword(nonce: nonce, publicKeyPEM: pem)
                }
                guard self.parameters.requestServerPublicKey else {
                    return self.fail(
                        MySQLError(
                            code: .authenticationFailed,
                            reason: "caching_sha2_password needs the password over TLS, with the server's public key "
                                + "(--server-public-key-path) or with --get-server-public-key"
                        )
                    )
                }
                self.state = .waitingForPublicKey(greeting, capabilities, nonce: nonce)
                return .sendAuthData([CachingSHA2Password.requestPublicKey])
            default:
                return self.fail(
                    MySQLError.protocolViolation(
                        "caching_sha2_password: unexpected AuthMoreData \(more.data.prefix(1))"
                    )
                )
            }
        case (.waitingForPublicKey(let greeting, let capabilities, let nonce), 0x01):
            let more: AuthMoreData
            do { more = try AuthMoreData.decode(from: &payload) } catch { return self.fail(error) }
            self.state = .authenticating(
                greeting,
                capabilities,
                plugin: CachingSHA2Password.pluginName,
                nonce: nonce,
                secure: false
            )
            return self.encryptedPassword(nonce: nonce, publicKeyPEM: String(decoding: more.data, as: UTF8.self))
        default:
            return self.fail(
                MySQLError.protocolViolation(
                    "unexpected packet with header \(header.map(String.init) ?? "none") during authentication"
                )
            )
        }
    }

    // MARK: - Helpers

    /// utf8mb4_general_ci (45).
    static let characterSet: UInt8 = 45

    private mutating func sendResponse(greeting: HandshakeV10, capabilities: CapabilityFlags, secure: Bool) -> Action {
        let plugin = greeting.authPluginName
        let secure = secure || self.parameters.isUnixSocket
        let authData: [UInt8]
        do {
            authData = try self.initialAuthData(plugin: plugin, nonce: greeting.nonce, secure: secure)
        } catch { return self.fail(error) }
        self.state = .authenticating(greeting, capabilities, plugin: plugin, nonce: greeting.nonce, secure: secure)
        return .sendHandshakeResponse(
            HandshakeResponse41(
                capabilities: capabilities,
                characterSet: Self.characterSet,
                username: self.parameters.username,
                authResponse: authData,
                database: self.parameters.database,
                authPluginName: plugin,
                attributes: self.parameters.attributes
            )
        )
    }

    private func initialAuthData(plugin: String, nonce: [UInt8], secure: Bool) throws -> [UInt8] {
        switch plugin {
        case MySQLNativePassword.pluginName:
            return MySQLNativePassword.scramble(password: self.parameters.password, nonce: nonce)
        case CachingSHA2Password.pluginName:
            return CachingSHA2Password.scramble(password: self.parameters.password, nonce: nonce)
        case ClientEd25519.pluginName:
            return ClientEd25519.signature(password: self.parameters.password, nonce: nonce)
        case "mysql_clear_password":
            guard secure else {
                throw MySQLError(
                    code: .authenticationFailed,
                    reason: "mysql_clear_password refused without TLS or a Unix socket"
                )
            }
            return Array(self.parameters.password.utf8) + [0]
        default:
            throw MySQLError(code: .unsupported, reason: "auth plugin \(plugin) is not supported")
        }
    }

    private mutating func encryptedPassword(nonce: [UInt8], publicKeyPEM: String) -> Action {
        do {
            return .sendAuthData(
                try CachingSHA2Password.encryptPassword(
                    self.parameters.password,
                    nonce: nonce,
                    publicKeyPEM: publicKeyPEM
                )
            )
        } catch { return self.fail(error) }
    }

    private mutating func fail(serverErrorIn payload: ByteBuffer) -> Action {
        var payload = payload
        do {
            return self.fail(MySQLError.server(try ERRPacket.decode(from: &payload).serverError))
        } catch { return self.fail(error) }
    }

    private mutating func fail(_ error: any Error) -> Action {
        self.state = .failed
        return .fail(error as? MySQLError ?? .protocolViolation("authentication", cause: error))
    }
}
