import Crypto
import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import MySQLWire

/// client_ed25519: Ed25519 from an expanded secret, checked against RFC 8032's vectors and swift-crypto's signer
/// (with a seed's expansion the two must agree: Ed25519 is deterministic).
@Suite struct ClientEd25519Tests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// RFC 8032 §7.1, tests 1–3: secret key (seed), message, signature.
    @Test(arguments: [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ])
    func rfc8032Vectors(seed: String, message: String, signature: String) {
        let expanded = Array(SHA512.hash(data: Self.hex(seed)))
        #expect(Ed25519.sign(expandedSecret: expanded, message: Self.hex(message)) == Self.hex(signature))
    }

    @Test func agreesWithSwiftCryptoForRandomSeedsAndMessages() throws {
        var random = SplitMix64(seed: 25519)
        for round in 0..<8 {
            let seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let message = (0..<[0, 1, 32, 100][round % 4]).map { _ in UInt8.random(in: 0...255, using: &random) }
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            let theirs = Array(try key.signature(for: message))
            let ours = Ed25519.sign(expandedSecret: Array(SHA512.hash(data: seed)), message: message)
            #expect(ours == theirs, "round \(round)")
        }
    }

    @Test func passwordSignatureUsesSHA512OfThePassword() {
        let nonce = (0..<32).map { UInt8($0) }
        let password = "a password of any length, not 32 bytes"
        let expected = Ed25519.sign(expandedSecret: Array(SHA512.hash(data: Array(password.utf8))), message: nonce)
        #expect(ClientEd25519.signature(password: password, nonce: nonce) == expected)
        #expect(expected.count == 64)
    }
}

extension ClientEd25519Tests {
    /// client_ed25519's nonce is 32 raw bytes: a last byte of 0 is data, not a terminator.
    @Test func aNonceEndingInZeroKeepsAllItsBytes() throws {
        var nonce = (1...31).map { UInt8($0) }
        nonce.append(0)
        var payload = ByteBuffer()
        AuthSwitchRequest(pluginName: ClientEd25519.pluginName, pluginData: []).encode(into: &payload)
        payload.moveWriterIndex(to: payload.writerIndex - 1)  // drop encode's NUL: the server sends the nonce bare
        payload.writeBytes(nonce)
        let request = try AuthSwitchRequest.decode(from: &payload)
        #expect(request.pluginData == nonce)
    }
}
