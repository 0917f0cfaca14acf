import Foundation
import Testing

@testable import ObjectStorage

struct S3CredentialsResolverTests {
    @Test func environmentComesFirst() throws {
        let credentials = try S3CredentialsResolver(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
        ]).resolve()
        #expect(
            credentials
                == S3Credentials(
                    accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token", source: "environment"))
        #expect(!credentials.description.contains("secret") && !credentials.description.contains("token\""))
    }

    @Test func halfACredentialIsAnError() {
        #expect(throws: S3Error.self) {
            try S3CredentialsResolver(environment: ["AWS_ACCESS_KEY_ID": "AKID", "HOME": "/nonexistent"]).resolve()
        }
    }

    @Test func profilesFromTheSharedCredentialsFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-aws-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("credentials")
        try """
        # comment
        [default]
        aws_access_key_id = DEFAULTKEY
        aws_secret_access_key = defaultsecret

        [backup]
        aws_access_key_id=BACKUPKEY
        aws_secret_access_key = backup/secret+x
        aws_session_token = tok
        """.write(to: file, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config")
        try "[profile backup]\nregion = eu-central-1\n".write(to: config, atomically: true, encoding: .utf8)
        let base = ["AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_CONFIG_FILE": config.path]
        let defaults = try S3CredentialsResolver(environment: base).resolve()
        #expect(defaults.accessKeyID == "DEFAULTKEY" && defaults.secretAccessKey == "defaultsecret")
        var env = base
        env["AWS_PROFILE"] = "backup"
        let backup = try S3CredentialsResolver(environment: env).resolve()
        #expect(backup.accessKeyID == "BACKUPKEY" && backup.secretAccessKey == "backup/secret+x")
        #expect(backup.sessionToken == "tok")
        #expect(S3CredentialsResolver(environment: env).region() == "eu-central-1")
        env["AWS_PROFILE"] = "nosuch"
        do {
            _ = try S3CredentialsResolver(environment: env).resolve()
            Issue.record("an unknown profile was accepted")
        } catch let error as S3Error {
            #expect(error.message.contains("no profile 'nosuch'") && error.message.contains("backup, default"))
        }
    }

    @Test func endpointAndAddressingFromTheEnvironment() throws {
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "eu-west-3"]
        let aws = try S3ClientConfiguration.fromEnvironment(env)
        #expect(aws.endpoint.absoluteString == "https://s3.eu-west-3.amazonaws.com" && aws.addressing == .virtual)
        var custom = env
        custom["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000"
        let minio = try S3ClientConfiguration.fromEnvironment(custom)
        #expect(minio.endpoint.absoluteString == "http://127.0.0.1:9000" && minio.addressing == .path)
        custom["AWS_ENDPOINT_URL"] = "ftp://x/y"
        #expect(throws: S3Error.self) { try S3ClientConfiguration.fromEnvironment(custom) }
    }
}
