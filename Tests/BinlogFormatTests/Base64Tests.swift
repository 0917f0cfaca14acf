import Foundation
import Testing

@testable import BinlogFormat

/// The one base64 encoder (BINLOG statements, binary values in JSON): RFC 4648's vectors, and Foundation's encoding
/// of random inputs of every length up to 200.
@Suite struct Base64Tests {
    @Test func rfc4648Vectors() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (input, expected) in vectors { #expect(Base64.encode(Array(input.utf8)) == expected) }
    }

    @Test func matchesFoundationOnRandomBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "length \(length)")
            var appended: [UInt8] = [0x41]
            TextBytes.appendBase64(bytes, to: &appended)
            #expect(String(decoding: appended.dropFirst(), as: UTF8.self) == Data(bytes).base64EncodedString())
        }
    }
}
