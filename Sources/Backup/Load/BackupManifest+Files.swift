import BackupStorage

extension BackupManifest {
    /// Checks that every file of ``loadOrder`` is in `store` (one listing).
    ///
    /// - Throws: ``BackupError/Code/damagedChunk`` naming the first missing file.
    func checkFilesPresent(in store: any BackupStore) async throws {
        let present = try await store.files()
        for file in self.loadOrder where present[file] == nil {
            throw BackupError(.damagedChunk, "\(store.location(of: file)) is missing: the backup cannot be loaded")
        }
    }
}
