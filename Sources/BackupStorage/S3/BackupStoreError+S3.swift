import ObjectStorage

extension BackupStoreError {
    /// The store error for an S3 failure; the message is the client's (it names the operation, `s3://bucket/key`,
    /// the store's answer and what to check).
    init(_ error: S3Error) {
        let code: Code
        switch error.code {
        case .accessDenied, .credentials: code = .denied
        case .noSuchBucket: code = .missing
        case .preconditionFailed: code = .exists
        default: code = .storage
        }
        self.init(code, error.message)
    }

    /// Runs `body`, turning an ``S3Error`` into a ``BackupStoreError``.
    static func mappingS3<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw BackupStoreError(error)
        }
    }
}
