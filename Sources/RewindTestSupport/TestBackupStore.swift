import BackupStorage
import Foundation
import ObjectStorage

/// The stores a backup test runs against: the same test, parameterized (`@Test(arguments: TestBackupStore.available)`),
/// once with a local directory and once with a prefix in the S3 sandbox (`scripts/s3-sandbox`, moto with IAM checks
/// on).
package enum TestBackupStore: String, Sendable, CaseIterable, CustomStringConvertible {
    case directory
    case s3

    /// The directory always; S3 when its sandbox is set up (`REWIND_S3_*`), and always under CI, where a missing
    /// sandbox fails the test instead of skipping it.
    package static var available: [TestBackupStore] {
        S3Sandbox.shouldRun ? [.directory, .s3] : [.directory]
    }

    package var description: String { self.rawValue }

    /// The environment of a `rewind` child process that reads or writes this store: for S3, the sandbox's
    /// credentials, region and endpoint.
    package var childEnvironment: [String: String] {
        get throws {
            switch self {
            case .directory: ProcessInfo.processInfo.environment
            case .s3: try S3Sandbox.fromEnvironment().childEnvironment
            }
        }
    }

    /// Runs `body` with a new, empty catalog of this kind and its location as a command line names it (a temporary
    /// directory, or `s3://bucket/it-LABEL-xxxxxxxx` in the sandbox's bucket); removes it afterwards.
    package func withCatalog<Result: Sendable>(
        _ label: String,
        _ body: (_ catalog: any BackupStore, _ location: String) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .directory:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-\(label)-\(UUID())").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try await body(DirectoryBackupStore(path: path), path)
        case .s3:
            let sandbox = try S3Sandbox.fromEnvironment()
            let prefix = "it-\(label)-\(UUID().uuidString.lowercased().prefix(8))"
            return try await sandbox.withClient { client in
                let catalog = S3BackupStore(client: client, root: S3Location(bucket: sandbox.bucket, prefix: prefix))
                do {
                    let result = try await body(catalog, "s3://\(sandbox.bucket)/\(prefix)")
                    try await sandbox.removeEverything(under: prefix + "/", client: client)
                    return result
                } catch {
                    try? await sandbox.removeEverything(under: prefix + "/", client: client)
                    throw error
                }
            }
        }
    }
}

extension S3Sandbox {
    /// Runs `body` with a client of the sandbox (its credentials and endpoint).
    package func withClient<Result: Sendable>(_ body: (S3Client) async throws -> Result) async throws -> Result {
        try await S3Client.withClient(
            try S3ClientConfiguration.fromEnvironment(self.environment, endpoint: self.endpoint),
            body
        )
    }

    /// Deletes every object under `prefix` and aborts its unfinished multipart uploads.
    package func removeEverything(under prefix: String, client: S3Client) async throws {
        for upload in try await client.listMultipartUploads(bucket: self.bucket, prefix: prefix) {
            try await client.abortMultipartUpload(bucket: self.bucket, key: upload.key, uploadID: upload.uploadID)
        }
        for object in try await client.listObjects(bucket: self.bucket, prefix: prefix) {
            try await client.deleteObject(bucket: self.bucket, key: object.key)
        }
    }
}
