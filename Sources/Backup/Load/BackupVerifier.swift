import Foundation

/// `rewind backup verify`: re-reads every chunk and schema file of a backup and checks them against its manifest.
public enum BackupVerifier {
    public struct Summary: Sendable {
        public var tables: Int
        public var chunks: Int
        public var rows: UInt64
    }

    /// Verifies the backup in `backupDirectory`.
    ///
    /// - Throws: ``BackupError`` for an incomplete backup, a missing file, or the first chunk whose rows or hash
    ///   differ (named by its file).
    public static func verify(
        backupDirectory: String,
        report: @escaping @Sendable (BackupEvent) -> Void = { _ in }
    ) throws -> Summary {
        let manifest = try BackupManifest.read(backupDirectory: backupDirectory)
        guard manifest.state == .complete else {
            throw BackupError(
                .incomplete,
                "\(backupDirectory) is an incomplete backup (\(manifest.error ?? "it did not finish")): it cannot be "
                    + "used; take a new backup"
            )
        }
        for file in manifest.loadOrder where !FileManager.default.fileExists(atPath: backupDirectory + "/" + file) {
            throw BackupError(.damagedChunk, "\(backupDirectory)/\(file) is missing: the backup cannot be loaded")
        }
        var summary = Summary(tables: 0, chunks: 0, rows: 0)
        for table in manifest.tables {
            for chunk in table.chunks {
                try ChunkReader(root: backupDirectory, table: table, chunk: chunk).readAll()
                summary.chunks += 1
                summary.rows += chunk.rows
                report(.chunkDone(table: table.qualifiedName, file: chunk.file, rows: chunk.rows, bytes: chunk.bytes))
            }
            summary.tables += 1
        }
        return summary
    }
}
