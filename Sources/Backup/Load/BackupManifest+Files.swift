import BackupStorage

extension BackupManifest {
    /// Reads the manifest of the backup in `store` and refuses an incomplete one (running, killed or failed).
    ///
    /// - Throws: ``BackupError/Code/incomplete`` naming the backup and why it stopped, or what ``read(from:)``
    ///   throws.
    static func readComplete(from store: any BackupStore) async throws -> BackupManifest {
        let manifest = try await Self.read(from: store)
        guard manifest.state == .complete else {
            throw BackupError(
                .incomplete,
                "\(store.location) is an incomplete backup (\(manifest.error ?? "it did not finish")): it is never "
                    + "verified, loaded or restored; take a new backup"
            )
        }
        return manifest
    }

    /// Checks that every file of ``loadOrder`` is in `store` (one listing).
    ///
    /// - Throws: ``BackupError/Code/damagedChunk`` naming the first missing file.
    func checkFilesPresent(in store: any BackupStore) async throws {
        let present = try await store.files()
        for file in self.loadOrder where present[file] == nil {
            throw BackupError(.damagedChunk, "\(store.location(of: file)) is missing: the backup cannot be loaded")
        }
    }

    /// Checks every file of ``fileDigests`` against its SHA-256 (nothing for manifests of older rewinds).
    ///
    /// - Throws: ``BackupError/Code/damagedChunk`` naming the first file that is missing or differs.
    func checkFileDigests(in store: any BackupStore) async throws {
        for (path, digest) in (self.fileDigests ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let bytes = try await store.read(path) else {
                throw BackupError(.damagedChunk, "\(store.location(of: path)) is missing: the backup cannot be loaded")
            }
            let actual = BackupFileDigest.hex(bytes)
            guard actual == digest else {
                throw BackupError(
                    .damagedChunk,
                    "\(store.location(of: path)) does not match the manifest (SHA-256 \(actual.prefix(16))…, the "
                        + "manifest says \(digest.prefix(16))…): the backup is damaged or was changed; use another "
                        + "backup (`rewind backup list`)")
            }
        }
    }
}
