import BackupStorage

extension BackupError {
    /// A backup error for a store's failure: its message names the file or object and what to check.
    init(_ error: BackupStoreError) {
        self.init(.io, error.message)
    }

    /// Runs `body`, turning a ``BackupStoreError`` into a ``BackupError``.
    static func mappingStore<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as BackupStoreError {
            throw BackupError(error)
        }
    }
}
