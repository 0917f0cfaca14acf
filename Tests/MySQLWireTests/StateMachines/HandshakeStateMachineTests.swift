import NIOCore
import Testing
import _CryptoExtras

@testable import MySQLWire

@Suite struct HandshakeStateMachineTests {
    static let nonce: [UInt8] = Array(1...20)
    static let serverCapabilities = CapabilityFlags(rawValue: 0xFFFF_FFFF)

    static func parameters(
        tls: HandshakeStateMachine.TLSDecision = .disabled,
        password: String = "secret",
        publicKey: String? = nil,
        requestKey: Bool = false
    ) -> HandshakeStateMachine.Parameters {
        .init(
            username: "rewind",
            password: password,
            database: nil,
            tls: tls,
            isUnixSocket: false,
            serverPublicKeyPEM: publicKey,
            requestServerPublicKey: requestKey
        )
    }

    static func greeting(
        plugin: String = "mysql_native_password",
        capabilities: CapabilityFlags = serverCapabilities
    )
        -> ByteBuffer
    {
        var buffer = ByteBuffer()
        HandshakeV10(
            serverVersion: "8.0.36",
            connectionID: 7,
            nonce: nonce,
            capabilities: capabilities,
            authPluginName: plugin
        ).encode(into: &buffer)
        return buffer
    }

    static func packet(_ write: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(&buffer)
        return buffer
    }

    @Test func nativePasswordLogin() throws {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        guard case .sendHandshakeResponse(let response) = machine.greetingReceived(Self.greeting()) else {
            Issue.record("expected a handshake response")
            return
        }
        #expect(response.username == "rewind")
        #expect(response.authPluginName == "mysql_native_password")
        #expect(response.authResponse == MySQLNativePassword.scramble(password: "secret", nonce: Self.nonce))
        #expect(!response.capabilities.contains(.ssl))
        #expect(response.capabilities.contains(.deprecateEOF))
        guard
            case .authenticated(let greeting, _) = machine.authPacketReceived(
                Self.packet { OKPacket().encode(into: &$0) }
            )
        else {
            Issue.record("expected authenticated")
            return
        }
        #expect(greeting.connectionID == 7)
    }

    @Test func accessDeniedIsAServerError() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        _ = machine.greetingReceived(Self.greeting())
        let action = machine.authPacketReceived(
            Self.packet {
                ERRPacket(errorCode: 1045, sqlState: "28000", message: "Access denied for user 'rewind'@'localhost'")
                    .encode(into: &$0)
            }
        )
        guard case .fail(let error) = action else {
            Issue.record("expected failure")
            return
        }
        #expect(error.serverError?.code == 1045)
        #expect(!error.description.contains("secret"))
    }

    @Test func authSwitchAnswersWithTheNewPluginAndNonce() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        _ = machine.greetingReceived(Self.greeting(plugin: "caching_sha2_password"))
        let newNonce: [UInt8] = Array(21...40)
        let action = machine.authPacketReceived(
            Self.packet {
                AuthSwitchRequest(pluginName: "mysql_native_password", pluginData: newNonce).encode(into: &$0)
            }
        )
        #expect(action == .sendAuthData(MySQLNativePassword.scramble(password: "secret", nonce: newNonce)))
    }

    @Test func authSwitchToEd25519SignsTheWholeNonce() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        _ = machine.greetingReceived(Self.greeting(plugin: "mysql_native_password"))
        let nonce: [UInt8] = Array(1...31) + [0]  // a nonce that ends in 0: all 32 bytes are signed
        var payload = ByteBuffer()
        payload.writeInteger(UInt8(0xFE))
        payload.writeBytes(Array("client_ed25519".utf8) + [0])
        payload.writeBytes(nonce)
        let action = machine.authPacketReceived(payload)
        #expect(action == .sendAuthData(ClientEd25519.signature(password: "secret", nonce: nonce)))
    }

    @Test func unknownPluginIsUnsupported() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        guard case .fail(let error) = machine.greetingReceived(Self.greeting(plugin: "auth_gssapi_client")) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .unsupported)
    }

    @Test func tlsRequiredWithoutServerSupportFails() {
        var machine = HandshakeStateMachine(parameters: Self.parameters(tls: .required))
        var capabilities = Self.serverCapabilities
        capabilities.remove(.ssl)
        guard case .fail(let error) = machine.greetingReceived(Self.greeting(capabilities: capabilities)) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .tlsRequired)
        #expect(error.reason.contains("the server offers no TLS"), "says which check failed: \(error.reason)")
    }

    @Test func tlsPreferredUpgradesThenResponds() {
        var machine = HandshakeStateMachine(parameters: Self.parameters(tls: .preferred))
        guard case .sendSSLRequestAndStartTLS(let request) = machine.greetingReceived(Self.greeting()) else {
            Issue.record("expected an SSL request")
            return
        }
        #expect(request.capabilities.contains(.ssl))
        guard case .sendHandshakeResponse(let response) = machine.tlsEstablished() else {
            Issue.record("expected a handshake response")
            return
        }
        #expect(response.capabilities == request.capabilities)
    }

    @Test func cachingSHA2FastPath() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        guard
            case .sendHandshakeResponse(let response) = machine.greetingReceived(
                Self.greeting(plugin: "caching_sha2_password")
            )
        else {
            Issue.record("expected a handshake response")
            return
        }
        #expect(response.authResponse == CachingSHA2Password.scramble(password: "secret", nonce: Self.nonce))
        #expect(machine.authPacketReceived(Self.packet { AuthMoreData(data: [0x03]).encode(into: &$0) }) == .wait)
        guard case .authenticated = machine.authPacketReceived(Self.packet { OKPacket().encode(into: &$0) }) else {
            Issue.record("expected authenticated")
            return
        }
    }

    @Test func cachingSHA2FullAuthOverTLSSendsThePasswordInClear() {
        var machine = HandshakeStateMachine(parameters: Self.parameters(tls: .required))
        _ = machine.greetingReceived(Self.greeting(plugin: "caching_sha2_password"))
        _ = machine.tlsEstablished()
        let action = machine.authPacketReceived(Self.packet { AuthMoreData(data: [0x04]).encode(into: &$0) })
        #expect(action == .sendAuthData(Array("secret".utf8) + [0]))
    }

    @Test func cachingSHA2FullAuthWithoutTLSOrKeyFails() {
        var machine = HandshakeStateMachine(parameters: Self.parameters())
        _ = machine.greetingReceived(Self.greeting(plugin: "caching_sha2_password"))
        guard
            case .fail(let error) = machine.authPacketReceived(
                Self.packet { AuthMoreData(data: [0x04]).encode(into: &$0) }
            )
        else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .authenticationFailed)
        #expect(error.reason.contains("--get-server-public-key"))
    }

    /// The scripted exchange of a server that does not have the account cached and sends its RSA key on request.
    @Test func cachingSHA2FullAuthRequestsTheServerKeyAndEncrypts() throws {
        let serverKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var machine = HandshakeStateMachine(parameters: Self.parameters(password: "top secret", requestKey: true))
        _ = machine.greetingReceived(Self.greeting(plugin: "caching_sha2_password"))
        #expect(
            machine.authPacketReceived(Self.packet { AuthMoreData(data: [0x04]).encode(into: &$0) })
                == .sendAuthData([0x02])
        )
        let pem = Array(serverKey.publicKey.pemRepresentation.utf8)
        guard
            case .sendAuthData(let encrypted) = machine.authPacketReceived(
                Self.packet { AuthMoreData(data: pem).encode(into: &$0) }
            )
        else {
            Issue.record("expected the encrypted password")
            return
        }
        let plain = Array(try serverKey.decrypt(encrypted, padding: .PKCS1_OAEP))
        #expect(plain == CachingSHA2Password.obfuscate(password: "top secret", nonce: Self.nonce))
        guard case .authenticated = machine.authPacketReceived(Self.packet { OKPacket().encode(into: &$0) }) else {
            Issue.record("expected authenticated")
            return
        }
    }

    @Test func cachingSHA2FullAuthWithAConfiguredKey() throws {
        let serverKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var machine = HandshakeStateMachine(
            parameters: Self.parameters(publicKey: serverKey.publicKey.pemRepresentation)
        )
        _ = machine.greetingReceived(Self.greeting(plugin: "caching_sha2_password"))
        guard
            case .sendAuthData(let encrypted) = machine.authPacketReceived(
                Self.packet { AuthMoreData(data: [0x04]).encode(into: &$0) }
            )
        else {
            Issue.record("expected the encrypted password")
            return
        }
        #expect(
            Array(try serverKey.decrypt(encrypted, padding: .PKCS1_OAEP))
                == CachingSHA2Password.obfuscate(password: "secret", nonce: Self.nonce)
        )
    }
}
