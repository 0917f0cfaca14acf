import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import ObjectStorage

/// The client against a real S3 API on loopback: moto with its IAM checks on (scripts/s3-sandbox), so a wrong
/// key or a bad signature really fails.
@Suite(.enabled(if: S3Sandbox.shouldRun, "needs the S3 sandbox (scripts/s3-sandbox start; eval its env)"))
struct S3ClientIntegrationTests {
    @Test func objectsRoundTripWithRangesMetadataAndListings() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        try await S3Client.withClient(sandbox.configuration()) { client in
            try await client.headBucket(sandbox.bucket)
            let prefix = "it-\(UUID().uuidString.lowercased())/"
            let name = "dir/café (1) + x.bin"  // every kind of character that needs encoding in a path
            var bytes = ByteBuffer()
            for i in 0..<100_000 { bytes.writeInteger(UInt8(truncatingIfNeeded: i &* 31)) }
            let etag = try await client.putObject(
                bucket: sandbox.bucket, key: prefix + name, body: bytes, metadata: ["sha256": "x1"])
            #expect(!etag.isEmpty)
            let whole = try await client.getObject(bucket: sandbox.bucket, key: prefix + name)
            #expect(whole == bytes)
            let range = try await client.getObject(
                bucket: sandbox.bucket, key: prefix + name, range: 1000...1999)
            #expect(range == bytes.getSlice(at: 1000, length: 1000))
            let head = try #require(try await client.headObject(bucket: sandbox.bucket, key: prefix + name))
            #expect(head.size == 100_000 && head.metadata["sha256"] == "x1" && head.etag == etag)
            #expect(try await client.headObject(bucket: sandbox.bucket, key: prefix + "missing") == nil)
            for i in 0..<5 {
                try await client.putObject(
                    bucket: sandbox.bucket, key: prefix + "k\(i)", body: ByteBuffer(string: "\(i)"))
            }
            var keys: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await client.listObjectsPage(
                    bucket: sandbox.bucket, prefix: prefix + "k", continuationToken: token, maxKeys: 2)
                keys += page.objects.map(\.key)
                token = page.continuationToken
                pages += 1
            } while token != nil
            #expect(keys == (0..<5).map { prefix + "k\($0)" } && pages == 3)
            #expect(try await client.listObjects(bucket: sandbox.bucket, prefix: prefix).count == 6)
            try await client.deleteObject(bucket: sandbox.bucket, key: prefix + "k0")
            #expect(try await client.listObjects(bucket: sandbox.bucket, prefix: prefix + "k").count == 4)
        }
    }

    @Test func aConditionalPutDoesNotOverwrite() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        try await S3Client.withClient(sandbox.configuration()) { client in
            let key = "lease-\(UUID().uuidString.lowercased())"
            try await client.putObject(
                bucket: sandbox.bucket, key: key, body: ByteBuffer(string: "a"), ifNoneMatch: true)
            await #expect(throws: S3Error.self) {
                try await client.putObject(
                    bucket: sandbox.bucket, key: key, body: ByteBuffer(string: "b"), ifNoneMatch: true)
            }
            #expect(try await client.getObject(bucket: sandbox.bucket, key: key) == ByteBuffer(string: "a"))
        }
    }

    @Test func multipartUploadsJoinAndAbort() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        try await S3Client.withClient(sandbox.configuration()) { client in
            let key = "mp-\(UUID().uuidString.lowercased())"
            let id = try await client.createMultipartUpload(bucket: sandbox.bucket, key: key)
            var first = ByteBuffer()
            first.writeRepeatingByte(0x61, count: 5 << 20)
            let second = ByteBuffer(string: "tail bytes")
            let etag1 = try await client.uploadPart(
                bucket: sandbox.bucket, key: key, uploadID: id, partNumber: 1, body: first)
            let etag2 = try await client.uploadPart(
                bucket: sandbox.bucket, key: key, uploadID: id, partNumber: 2, body: second)
            #expect(try await client.listMultipartUploads(bucket: sandbox.bucket, prefix: key).map(\.uploadID) == [id])
            try await client.completeMultipartUpload(
                bucket: sandbox.bucket, key: key, uploadID: id, parts: [(1, etag1), (2, etag2)])
            var joined = first
            joined.writeImmutableBuffer(second)
            #expect(try await client.getObject(bucket: sandbox.bucket, key: key) == joined)
            let aborted = try await client.createMultipartUpload(bucket: sandbox.bucket, key: key + "-aborted")
            _ = try await client.uploadPart(
                bucket: sandbox.bucket, key: key + "-aborted", uploadID: aborted, partNumber: 1, body: second)
            try await client.abortMultipartUpload(bucket: sandbox.bucket, key: key + "-aborted", uploadID: aborted)
            #expect(try await client.listMultipartUploads(bucket: sandbox.bucket, prefix: key + "-aborted").isEmpty)
            #expect(try await client.headObject(bucket: sandbox.bucket, key: key + "-aborted") == nil)
        }
    }

    @Test func aWrongSecretIsRefusedWithAMessageThatDoesNotShowIt() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        var configuration = try sandbox.configuration()
        configuration.credentials.secretAccessKey = "not-the-secret-\(UUID())"
        let secret = configuration.credentials.secretAccessKey
        do {
            _ = try await S3Client.withClient(configuration) { client in
                try await client.putObject(bucket: sandbox.bucket, key: "x", body: ByteBuffer(string: "x"))
            }
            Issue.record("a wrong secret was accepted")
        } catch let error as S3Error {
            #expect(error.code == .accessDenied, "\(error)")
            #expect(error.message.contains("s3://\(sandbox.bucket)/x"))
            #expect(error.message.contains("check the credentials"))
            #expect(!error.message.contains(secret))
        }
    }

    @Test func aMissingBucketIsNamed() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        try await S3Client.withClient(sandbox.configuration()) { client in
            do {
                try await client.headBucket("no-such-bucket-rewind")
                Issue.record("a missing bucket was accepted")
            } catch let error as S3Error {
                #expect(error.code == .noSuchBucket, "\(error)")
                #expect(error.message.contains("'no-such-bucket-rewind' does not exist"))
            }
            do {
                try await client.putObject(bucket: "no-such-bucket-rewind", key: "k", body: ByteBuffer(string: "x"))
                Issue.record("a PUT into a missing bucket was accepted")
            } catch let error as S3Error {
                #expect(error.code == .noSuchBucket, "\(error)")
                #expect(error.message.contains("s3://no-such-bucket-rewind/k"))
            }
        }
    }

    @Test(.timeLimit(.minutes(10))) func anUnreachableEndpointFailsAfterItsRetries() async throws {
        let sandbox = try S3Sandbox.fromEnvironment()
        var configuration = try sandbox.configuration()
        configuration.endpoint = URL(string: "http://127.0.0.1:1")!
        configuration.maxAttempts = 3
        configuration.initialBackoff = .milliseconds(10)
        do {
            try await S3Client.withClient(configuration) { client in try await client.headBucket(sandbox.bucket) }
            Issue.record("port 1 answered")
        } catch let error as S3Error {
            #expect(error.code == .transport, "\(error)")
            #expect(error.message.contains("127.0.0.1:1"))
        }
    }
}

extension S3Sandbox {
    func configuration() throws -> S3ClientConfiguration {
        var configuration = try S3ClientConfiguration.fromEnvironment(self.environment, endpoint: endpoint)
        configuration.maxAttempts = 3
        return configuration
    }
}
