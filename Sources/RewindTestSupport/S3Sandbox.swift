import Foundation

/// The S3 sandbox the tests use: `REWIND_S3_ENDPOINT`, `REWIND_S3_BUCKET`, `REWIND_S3_CREDENTIALS_FILE`
/// (printed by `scripts/s3-sandbox env`).
package struct S3Sandbox: Sendable {
    package struct Missing: Error, CustomStringConvertible {
        package var description: String { "REWIND_S3_* are not set: run scripts/s3-sandbox start and eval its env" }
    }

    package var endpoint: String
    package var bucket: String
    package var credentialsFile: String

    package static var shouldRun: Bool {
        ProcessInfo.processInfo.environment["REWIND_S3_ENDPOINT"] != nil || Fixtures.isCI
    }

    package static func fromEnvironment() throws -> S3Sandbox {
        let env = ProcessInfo.processInfo.environment
        guard let endpoint = env["REWIND_S3_ENDPOINT"], let bucket = env["REWIND_S3_BUCKET"],
            let file = env["REWIND_S3_CREDENTIALS_FILE"]
        else { throw Missing() }
        return S3Sandbox(endpoint: endpoint, bucket: bucket, credentialsFile: file)
    }

    /// The AWS variables that point a client (and `rewind`) at the sandbox: its credentials file and region.
    package var environment: [String: String] {
        ["AWS_SHARED_CREDENTIALS_FILE": self.credentialsFile, "AWS_REGION": "us-east-1"]
    }

    /// The environment of a `rewind` child process using the sandbox: this process's own (PATH, HOME), no AWS
    /// variables of the caller, the sandbox's credentials, region and endpoint.
    package var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment.merge(self.environment) { $1 }
        environment["AWS_ENDPOINT_URL"] = self.endpoint
        return environment
    }
}
