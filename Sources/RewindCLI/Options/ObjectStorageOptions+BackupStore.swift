import BackupStorage
import ObjectStorage
import Recovery

extension ObjectStorageOptions {
    /// Runs `body` with the backup store at `text`: a directory, or `s3://bucket/prefix` reached with these options
    /// and the environment's credentials (the client is shut down afterwards), its objects encrypted with the key of
    /// `--encryption-key-file` (or `REWIND_ENCRYPTION_KEY_FILE`) when one is given; a directory is never encrypted.
    ///
    /// - Throws: What `body` throws; ``BackupStoreError`` for a bad `s3://` location, missing credentials or an
    ///   unreadable key file.
    func withBackupStore<Result: Sendable>(
        _ text: String,
        _ body: (any BackupStore) async throws -> Result
    ) async throws -> Result {
        let location = try BackupLocation(parsing: text)
        if case .s3 = location { MallocArenas.returnLargeBlocks() }
        return try await location.withStore(
            s3Configuration: {
                try S3ClientConfiguration.fromEnvironment(endpoint: self.endpoint, addressing: self.s3Addressing)
            },
            s3Codec: { try self.access.codec() },
            body
        )
    }
}

extension ObjectStorageOptions {
    /// The schema and row counts of the backup at `text` (`--backup DIR/<id>` or `s3://bucket/prefix/<id>`): its
    /// manifest and table schema files only.
    func backupSchema(_ text: String) async throws -> BackupSchema {
        do {
            return try await self.withBackupStore(text) { try await BackupSchema(store: $0) }
        } catch let error as BackupStoreError {
            throw RecoveryError(reason: error.message, path: text)
        }
    }
}
