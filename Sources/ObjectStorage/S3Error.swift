/// An S3 failure, as a sentence for people: what was asked of which bucket and key, what the store answered,
/// and what to check.
package struct S3Error: Error, CustomStringConvertible, Sendable {
    /// What kind of failure; an open set, compared by name.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        package let name: String
        package init(_ name: String) { self.name = name }
        package var description: String { name }

        /// No credentials, or half of them.
        package static let credentials = Code("credentials")
        /// An `s3://` location or endpoint that does not parse.
        package static let location = Code("location")
        /// The key or signature was refused (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, 403).
        package static let accessDenied = Code("access denied")
        /// The bucket does not exist.
        package static let noSuchBucket = Code("no such bucket")
        /// The object does not exist.
        package static let noSuchKey = Code("no such key")
        /// A conditional write found the object there already (`If-None-Match: *`) or changed (`If-Match`).
        package static let preconditionFailed = Code("precondition failed")
        /// Any other answer of the store, with its HTTP status and S3 error code.
        package static let server = Code("server")
        /// The connection failed, timed out, or was cut.
        package static let transport = Code("transport")
        /// A response that is not what S3 sends (bad XML, too large, missing fields).
        package static let badResponse = Code("bad response")
    }

    package var code: Code
    package var message: String
    /// The HTTP status, when the store answered.
    package var status: Int?
    /// S3's own error code (`NoSuchBucket`, `SignatureDoesNotMatch`, …), when the store sent one.
    package var s3Code: String?

    package init(_ code: Code, _ message: String, status: Int? = nil, s3Code: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.s3Code = s3Code
    }

    package var description: String { message }

    /// Whether a retry may succeed: 5xx, 429/503 slow-downs, request timeouts and transport failures.
    package var isRetryable: Bool {
        if code == .transport { return true }
        guard let status else { return false }
        return status >= 500 || status == 429 || s3Code == "RequestTimeout" || s3Code == "SlowDown"
    }
}
