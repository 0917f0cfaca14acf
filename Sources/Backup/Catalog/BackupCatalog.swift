import BackupStorage
import BinlogArchive
import Foundation

/// A catalog of backups (`DIR/<id>/`, `s3://bucket/prefix/<id>/`): listing and pruning.
public enum BackupCatalog {
    /// The backups in `catalog`, oldest first: by id (the UTC start time), read from the names below the catalog,
    /// never by when their files were stored.
    ///
    /// - Throws: ``BackupError`` when the catalog cannot be read.
    public static func list(_ catalog: any BackupStore) async throws -> [BackupCatalogEntry] {
        try await BackupError.mappingStore {
            let ids = try await catalog.childNames().filter(BackupID.isValid).sorted()
            var sizes: [String: UInt64] = [:]
            if !ids.isEmpty {
                for (path, size) in try await catalog.files() {
                    guard let slash = path.firstIndex(of: "/") else { continue }
                    sizes[String(path[..<slash]), default: 0] += size
                }
            }
            var entries: [BackupCatalogEntry] = []
            for id in ids {
                let store = catalog.descending(into: id)
                entries.append(
                    BackupCatalogEntry(
                        id: id,
                        path: store.location,
                        manifest: try? await BackupManifest.read(from: store),
                        sizeBytes: sizes[id] ?? 0
                    )
                )
            }
            return entries
        }
    }

    /// The backups in the directory `directory`, oldest first.
    public static func list(directory: String) async throws -> [BackupCatalogEntry] {
        try await self.list(DirectoryBackupStore(path: directory))
    }

    /// What ``prune(directory:keep:keepWithin:binlogs:dryRun:now:)`` removes (or would remove).
    public struct PrunePlan: Sendable {
        public var removedBackups: [String]
        public var keptBackups: [String]
        public var removedBinlogs: [String]
    }

    /// Removes old backups and, with `binlogs`, the archived binlog files that no kept backup needs.
    ///
    /// Kept: the newest `keep` complete backups, or those started within `keepWithin` of `now` (both given: either);
    /// always the newest complete backup; incomplete ones newer than it while their writer may still be running
    /// (``BackupWriter``: a fresh heartbeat, and on this host a live process). A killed backup (or one of an older
    /// rewind, without a writer) older than the newest complete one goes; a killed one newer than it goes too once its
    /// writer is known dead. Removing a backup removes its manifest first and frees its unfinished uploads. Binlog
    /// files before the oldest kept backup's coordinates go, and their entries leave the archive index
    /// (``ArchivePruning``: a directory or an S3 prefix, never the file an archiver may be writing); the binlogs go
    /// before the backups, so a prune cut short and run again removes the same files.
    ///
    /// - Throws: ``BackupError`` for bad arguments or a failed removal.
    package static func prune(
        _ catalog: any BackupStore,
        keep: Int?,
        keepWithin: TimeInterval?,
        binlogs: (any ArchivePruning)?,
        dryRun: Bool,
        now: Date = Date(),
        host: String = ProcessInfo.processInfo.hostName,
        processExists: (Int32) -> Bool = BackupWriter.processExists
    ) async throws -> PrunePlan {
        guard keep != nil || keepWithin != nil else {
            throw BackupError(.usage, "say what to keep: --keep N or --keep-within DURATION")
        }
        if let keep, keep < 1 { throw BackupError(.usage, "--keep must be at least 1 (the newest backup is kept)") }
        let entries = try await self.list(catalog)
        let complete = entries.filter(\.isComplete)
        var kept = Set<String>()
        for (rank, entry) in complete.reversed().enumerated() {
            let started = entry.manifest?.startedAt ?? .distantPast
            if let keep, rank < keep { kept.insert(entry.id) }
            if let keepWithin, now.timeIntervalSince(started) <= keepWithin { kept.insert(entry.id) }
        }
        let newest = complete.last?.id ?? ""
        for entry in entries where !entry.isComplete && entry.id > newest {
            // May be running: kept unless its writer is known gone.
            let running =
                entry.manifest?.writer?.mayBeRunning(now: now, host: host, processExists: processExists) ?? true
            if running { kept.insert(entry.id) }
        }
        if let newest = complete.last { kept.insert(newest.id) }
        let removed = entries.filter { !kept.contains($0.id) }
        var plan = PrunePlan(
            removedBackups: removed.map(\.id),
            keptBackups: entries.filter { kept.contains($0.id) }.map(\.id),
            removedBinlogs: []
        )
        if let binlogs {
            let oldestNeeded = complete.filter { kept.contains($0.id) }.compactMap { $0.manifest?.binlog?.file }
                .compactMap(BinlogFileName.init).min()
            if let oldestNeeded {
                plan.removedBinlogs = try await self.pruneBinlogs(binlogs, before: oldestNeeded, dryRun: dryRun)
            }
        }
        if !dryRun {
            for entry in removed {
                try await BackupError.mappingStore {
                    try await catalog.removeTree(entry.id, first: [BackupManifest.fileName])
                }
            }
        }
        return plan
    }

    private static func pruneBinlogs(
        _ archive: any ArchivePruning,
        before oldest: BinlogFileName,
        dryRun: Bool
    ) async throws -> [String] {
        do {
            return try await archive.prune(before: oldest, dryRun: dryRun)
        } catch {
            throw BackupError(
                .io,
                "cannot prune binlogs in \(archive.location): \(error) (run the prune again: it finishes what this one began)"
            )
        }
    }
}
