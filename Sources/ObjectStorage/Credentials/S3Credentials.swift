/// An access key pair (and session token) for S3. Its description never shows the secret or the token.
package struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?
    /// Where they came from, for messages: `environment`, `profile default in /root/.aws/credentials`, …
    package var source: String

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    package var description: String {
        "access key \(accessKeyID) (from \(source)\(sessionToken == nil ? "" : ", with a session token"))"
    }
}
