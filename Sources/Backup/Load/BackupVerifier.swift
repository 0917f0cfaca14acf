import BackupStorage
import Foundation

/// `rewind backup verify`: re-reads every chunk and schema file of a backup and checks them against its manifest.
public enum BackupVerifier {
    public struct Summary: Sendable {
        public var tables: Int
        public var chunks: Int
        public var rows: UInt64
    }

    /// Verifies the backup in `store` (`DIR/<id>` or `s3://bucket/prefix/<id>`), streaming each chunk.
    ///
    /// - Throws: ``BackupError`` for an incomplete backup, a missing file, or the first chunk whose rows or hash
    ///   differ (named by its file).
    public static func verify(
        _ store: any BackupStore,
        report: @escaping @Sendable (BackupEvent) -> Void = { _ in }
    ) async throws -> Summary {
        try await BackupError.mappingStore {
            let manifest = try await BackupManifest.readComplete(from: store)
            try await manifest.checkFilesPresent(in: store)
            try await manifest.checkFileDigests(in: store)
            var summary = Summary(tables: 0, chunks: 0, rows: 0)
            for table in manifest.tables {
                for chunk in table.chunks {
                    try await ChunkReader(store: store, table: table, chunk: chunk).readAll()
                    summary.chunks += 1
                    summary.rows += chunk.rows
                    report(
                        .chunkDone(table: table.qualifiedName, file: chunk.file, rows: chunk.rows, bytes: chunk.bytes))
                }
                summary.tables += 1
            }
            return summary
        }
    }
}
