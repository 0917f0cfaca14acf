import Foundation

/// Where and how to reach an S3-compatible store.
package struct S3ClientConfiguration: Sendable {
    /// How a bucket is named in the URL: `https://host/bucket/key` or `https://bucket.host/key`.
    package enum Addressing: String, Sendable, CaseIterable {
        case path
        case virtual
    }

    /// The endpoint's scheme, host and port (no path): `https://s3.eu-west-1.amazonaws.com`,
    /// `http://127.0.0.1:9000` for MinIO or moto.
    package var endpoint: URL
    package var region: String
    package var addressing: Addressing
    package var credentials: S3Credentials
    /// A PEM file of CA certificates to trust instead of the system's (a private MinIO); TLS is always verified.
    package var caFile: String?
    /// Attempts per request, the first included; 5xx, 429, timeouts and cut connections are retried.
    package var maxAttempts: Int
    /// The first retry waits this long; each next one twice as long, up to ``maxBackoff``.
    package var initialBackoff: Duration
    package var maxBackoff: Duration
    /// The whole-request deadline for one attempt.
    package var requestTimeout: Duration

    package init(
        endpoint: URL, region: String, addressing: Addressing, credentials: S3Credentials, caFile: String? = nil,
        maxAttempts: Int = 6, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(120)
    ) {
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
        self.caFile = caFile
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.requestTimeout = requestTimeout
    }

    /// The configuration from the environment, as the AWS CLI reads it: `AWS_ENDPOINT_URL_S3` or
    /// `AWS_ENDPOINT_URL` (else AWS's own endpoint for the region), the region, the credentials. A custom endpoint
    /// uses path-style addressing and AWS virtual-host style, unless `addressing` says otherwise.
    ///
    /// - Throws: ``S3Error`` (`credentials` or `location`).
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, endpoint override: String? = nil,
        addressing: Addressing? = nil, caFile: String? = nil
    ) throws -> S3ClientConfiguration {
        let resolver = S3CredentialsResolver(environment: environment)
        let credentials = try resolver.resolve()
        let region = resolver.region()
        let text =
            override ?? environment["AWS_ENDPOINT_URL_S3"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoint: URL
        if let text {
            guard let url = URL(string: text), let scheme = url.scheme, scheme == "http" || scheme == "https",
                url.host != nil, url.path.isEmpty || url.path == "/"
            else {
                throw S3Error(
                    .location,
                    "the S3 endpoint '\(text)' is not a URL like https://host[:port] (no path); check --endpoint "
                        + "or AWS_ENDPOINT_URL")
            }
            endpoint = url
        } else {
            endpoint = URL(string: "https://s3.\(region).amazonaws.com")!
        }
        return S3ClientConfiguration(
            endpoint: endpoint, region: region, addressing: addressing ?? (text == nil ? .virtual : .path),
            credentials: credentials, caFile: caFile)
    }
}
