import Foundation
import Testing

@testable import ObjectStorage

/// The signer against signatures computed by botocore (an independent implementation; the first vector is the GET
/// example of AWS's S3 documentation, whose published signature is f0e8bdb8…). Vectors/make-sigv4-vectors.py
/// regenerates them.
struct SigV4SignerTests {
    struct Vector: Decodable {
        var name: String
        var method: String
        var url: String
        var headers: [String: String]
        var bodyHex: String
        var region: String
        var time: String
        var accessKey: String
        var secretKey: String
        var sessionToken: String?
        var payloadHash: String
        var authorization: String
    }

    struct File: Decodable {
        var generator: String
        var vectors: [Vector]
    }

    static func vectors() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/sigv4-vectors.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase  // the vectors' keys are botocore's
        return try decoder.decode(File.self, from: Data(contentsOf: url)).vectors
    }

    @Test func everyVectorSignsAsBotocoreDoes() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 5)
        for vector in vectors {
            let url = try #require(URLComponents(string: vector.url))
            var host = try #require(url.host)
            if let port = url.port { host += ":\(port)" }
            let query = (url.percentEncodedQueryItems ?? []).map {
                ($0.name.removingPercentEncoding!, ($0.value ?? "").removingPercentEncoding!)
            }
            let body = stride(from: 0, to: vector.bodyHex.count, by: 2).map { offset -> UInt8 in
                let start = vector.bodyHex.index(vector.bodyHex.startIndex, offsetBy: offset)
                return UInt8(vector.bodyHex[start..<vector.bodyHex.index(start, offsetBy: 2)], radix: 16)!
            }
            let payloadHash = SigV4Signer.sha256Hex(body)
            #expect(payloadHash == vector.payloadHash, "\(vector.name)")
            let signer = SigV4Signer(
                credentials: S3Credentials(
                    accessKeyID: vector.accessKey, secretAccessKey: vector.secretKey,
                    sessionToken: vector.sessionToken, source: "test"),
                region: vector.region)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            let date = try #require(formatter.date(from: vector.time))
            let headers = [("host", host)] + vector.headers.map { ($0.key, $0.value) }
            let signed = signer.sign(
                method: vector.method, path: url.percentEncodedPath, query: query, headers: headers,
                payloadHash: payloadHash, date: date)
            let authorization = signed.first { $0.0 == "authorization" }?.1
            #expect(authorization == vector.authorization, "\(vector.name)")
            #expect(signed.contains { $0 == ("x-amz-date", vector.time) }, "\(vector.name)")
        }
    }

    @Test func aChangedSecretOrBodyChangesTheSignature() throws {
        let vector = try #require(try Self.vectors().first)
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        func signature(secret: String, payload: String) -> String? {
            SigV4Signer(
                credentials: S3Credentials(accessKeyID: vector.accessKey, secretAccessKey: secret, source: "test"),
                region: "us-east-1"
            ).sign(
                method: "GET", path: "/test.txt", query: [],
                headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")],
                payloadHash: payload, date: date
            ).first { $0.0 == "authorization" }?.1
        }
        let good = signature(secret: vector.secretKey, payload: SigV4Signer.emptyPayloadHash)
        #expect(good == vector.authorization)
        #expect(signature(secret: vector.secretKey + "x", payload: SigV4Signer.emptyPayloadHash) != good)
        #expect(signature(secret: vector.secretKey, payload: SigV4Signer.sha256Hex([0])) != good)
    }

    @Test func uriEncodingKeepsOnlyUnreservedCharacters() {
        #expect(SigV4Signer.uriEncode("a b/c~d_e.f-g") == "a%20b%2Fc~d_e.f-g")
        #expect(SigV4Signer.uriEncode("dir/café (1).bin", keepSlash: true) == "dir/caf%C3%A9%20%281%29.bin")
        #expect(SigV4Signer.uriEncode("x+y=") == "x%2By%3D")
    }
}
