import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import MySQLWire

@Suite struct AuthPluginTests {
    static let nonce: [UInt8] = Array(1...20)

    @Test func nativePasswordKnownVector() {
        // Independently computed: SHA1("secret") XOR SHA1(nonce ‖ SHA1(SHA1("secret"))).
        #expect(
            MySQLNativePassword.scramble(password: "secret", nonce: Self.nonce).hex
                == "b32bb3a583e1340c0a1108d58b1be49781ad8c2f"
        )
        #expect(MySQLNativePassword.scramble(password: "", nonce: Self.nonce).isEmpty)
    }

    @Test func nativePasswordPassesTheServersCheckAgainstTheDocumentedHash() {
        // MySQL's manual: PASSWORD('mypass') = '*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4' = SHA1(SHA1(password)).
        let stored: [UInt8] = Array(hex: "6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4")
        let scramble = MySQLNativePassword.scramble(password: "mypass", nonce: Self.nonce)
        let mix = Array(Insecure.SHA1.hash(data: Self.nonce + stored))
        let candidate = zip(scramble, mix).map { $0 ^ $1 }  // = SHA1(password) if the scramble is right
        #expect(Array(Insecure.SHA1.hash(data: candidate)) == stored)
    }

    @Test func cachingSHA2ScrambleKnownVector() {
        // Independently computed: SHA256("secret") XOR SHA256(SHA256(SHA256("secret")) ‖ nonce).
        #expect(
            CachingSHA2Password.scramble(password: "secret", nonce: Self.nonce).hex
                == "746ebe205d56a0707acb3e796e834e0dd7b1d61743b26bd5202c7a623230c7c9"
        )
        #expect(CachingSHA2Password.scramble(password: "", nonce: Self.nonce).isEmpty)
    }

    @Test func cachingSHA2ObfuscationRepeatsTheNonce() {
        #expect(
            CachingSHA2Password.obfuscate(password: "a-password-longer-than-twenty-bytes", nonce: Self.nonce).hex
                == "602f7365767570677b6e266062606875633f677c606c2e707263697c70276975796b7c10"
        )
    }

    @Test func cachingSHA2RSAPathDecryptsToThePassword() throws {
        let privateKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let encrypted = try CachingSHA2Password.encryptPassword(
            "pässword",
            nonce: Self.nonce,
            publicKeyPEM: privateKey.publicKey.pemRepresentation
        )
        #expect(encrypted.count == 256)
        let plain = Array(try privateKey.decrypt(encrypted, padding: .PKCS1_OAEP))
        let password = zip(plain, (0..<plain.count).map { Self.nonce[$0 % 20] }).map { $0 ^ $1 }
        #expect(password == Array("pässword".utf8) + [0])
    }

    @Test func cachingSHA2BadPublicKeyIsAnAuthenticationError() {
        let error = #expect(throws: MySQLError.self) {
            try CachingSHA2Password.encryptPassword("x", nonce: Self.nonce, publicKeyPEM: "not a key")
        }
        #expect(error?.code == .authenticationFailed)
    }
}

extension Array where Element == UInt8 {
    var hex: String { self.map { String(format: "%02x", $0) }.joined() }

    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self = bytes
    }
}
