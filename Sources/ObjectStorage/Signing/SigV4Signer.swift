import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, as a pure function of the request, the credentials and the time.
///
/// The steps are AWS's: a canonical request (method, URI-encoded path, sorted query, lower-cased sorted headers,
/// the signed header names, the payload's SHA-256), a string to sign (`AWS4-HMAC-SHA256`, the time, the scope
/// `date/region/s3/aws4_request`, the canonical request's SHA-256), a signing key derived by HMAC-SHA256 from the
/// secret through date, region and service, and the `Authorization` header that carries the signature.
/// No I/O, no clock: the caller passes the time, so tests compare with fixed vectors.
package struct SigV4Signer: Sendable {
    package var credentials: S3Credentials
    package var region: String
    package var service: String

    package init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The payload hash S3 accepts when the body is not hashed (a streamed body over TLS).
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Hex SHA-256 of `bytes`.
    package static func sha256Hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        SHA256.hash(data: Array(bytes)).hexString
    }

    /// Hex SHA-256 of bytes in memory, hashed where they are (a request body of megabytes is not copied).
    package static func sha256Hex(bufferPointer bytes: UnsafeRawBufferPointer) -> String {
        var hash = SHA256()
        hash.update(bufferPointer: bytes)
        return hash.finalize().hexString
    }

    /// Hex SHA-256 of the empty body.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs a request: returns the headers to add (`x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token`
    /// when the credentials have a session token, and `authorization`).
    ///
    /// - Parameters:
    ///   - method: `GET`, `PUT`, …
    ///   - path: the request path as sent, already URI-encoded (S3 keys are encoded once, `/` kept).
    ///   - query: query parameters, not encoded (the signer encodes them as AWS requires).
    ///   - headers: the headers that are sent and signed; must include `host`.
    ///   - payloadHash: hex SHA-256 of the body, or ``unsignedPayload``.
    ///   - date: the signing time.
    package func sign(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, date: Date
    ) -> [(String, String)] {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        var signed = headers.map { ($0.0.lowercased(), Self.trimHeaderValue($0.1)) }
        signed.append(("x-amz-date", amzDate))
        signed.append(("x-amz-content-sha256", payloadHash))
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        let canonical = canonicalRequest(
            method: method, path: path, query: query, headers: signed, payloadHash: payloadHash)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.sha256Hex(Array(canonical.request.utf8)))"
        let signature = signingKey(day: day).authenticationCode(for: stringToSign)
        var out: [(String, String)] = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { out.append(("x-amz-security-token", token)) }
        out.append(
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
                    + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
            ))
        return out
    }

    /// The canonical request and the `SignedHeaders` list (exposed for tests).
    package func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (Self.uriEncode(pair.0), Self.uriEncode(pair.1))
        }
        let sortedPairs = encoded.sorted { (a, b) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        let canonicalQuery = sortedPairs.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
        var merged: [String: [String]] = [:]
        for (name, value) in headers { merged[name.lowercased(), default: []].append(Self.trimHeaderValue(value)) }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let request = [
            method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (request, signedHeaders)
    }

    private func signingKey(day: String) -> SigningKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        key = hmac(key, day)
        key = hmac(key, region)
        key = hmac(key, service)
        key = hmac(key, "aws4_request")
        return SigningKey(key: key)
    }

    private struct SigningKey {
        var key: SymmetricKey
        func authenticationCode(for text: String) -> String {
            HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hexString
        }
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    package static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 requires.
    package static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static func trimHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}

extension Sequence where Element == UInt8 {
    fileprivate var hexString: String {
        var out = ""
        for byte in self {
            out.append(Self.digits[Int(byte >> 4)])
            out.append(Self.digits[Int(byte & 0x0F)])
        }
        return out
    }

    private static var digits: [Character] { Array("0123456789abcdef") }
}
