import BinlogArchive
import ObjectStorage

extension ObjectStorageOptions {
    /// Runs `body` with the archive `text` names as `backup prune --binlogs` prunes it: a directory, or
    /// `s3://bucket/prefix` reached with these options and the environment's credentials (the client is shut down
    /// afterwards); `nil` without `--binlogs`.
    func withArchivePruner<Result: Sendable>(
        _ text: String?,
        _ body: ((any ArchivePruning)?) async throws -> Result
    ) async throws -> Result {
        guard let text else { return try await body(nil) }
        guard S3Location.isS3(text) else { return try await body(DirectoryArchivePruner(path: text)) }
        let location = try S3Location(parsing: text)
        let configuration = try S3ClientConfiguration.fromEnvironment(
            endpoint: self.endpoint,
            addressing: self.s3Addressing
        )
        return try await S3Client.withClient(configuration) { client in
            try await body(S3ArchivePruner(location: location, client: client))
        }
    }
}
