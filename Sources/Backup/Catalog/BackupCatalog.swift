import BinlogArchive
import Foundation

/// A directory of backups (`DIR/<id>/`): listing and pruning.
public enum BackupCatalog {
    /// The backups in `directory`, oldest first.
    ///
    /// - Throws: ``BackupError`` when the directory cannot be read.
    public static func list(directory: String) throws -> [BackupCatalogEntry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            var info = stat()
            let reason =
                stat(directory, &info) != 0
                ? "\(String(cString: strerror(errno))); give the directory that `rewind backup create --to` wrote to"
                : (info.st_mode & S_IFMT) != S_IFDIR
                    ? "it is not a directory; give the directory that `rewind backup create --to` wrote to"
                    : "\(error.localizedDescription); check that you may read it"
            throw BackupError(.io, "cannot read the backup directory \(directory): \(reason)")
        }
        return names.filter(BackupID.isValid).sorted().map { id in
            let path = directory + "/" + id
            return BackupCatalogEntry(
                id: id,
                path: path,
                manifest: try? BackupManifest.read(backupDirectory: path),
                sizeBytes: Self.size(of: path)
            )
        }
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
    /// always the newest complete backup; incomplete ones newer than it (they may be running). Binlog files before
    /// the oldest kept backup's coordinates go, and their entries leave the archive index.
    ///
    /// - Throws: ``BackupError`` for bad arguments or a failed removal.
    public static func prune(
        directory: String,
        keep: Int?,
        keepWithin: TimeInterval?,
        binlogs: String?,
        dryRun: Bool,
        now: Date = Date()
    ) throws -> PrunePlan {
        guard keep != nil || keepWithin != nil else {
            throw BackupError(.usage, "say what to keep: --keep N or --keep-within DURATION")
        }
        if let keep, keep < 1 { throw BackupError(.usage, "--keep must be at least 1 (the newest backup is kept)") }
        let entries = try self.list(directory: directory)
        let complete = entries.filter(\.isComplete)
        var kept = Set<String>()
        for (rank, entry) in complete.reversed().enumerated() {
            let started = entry.manifest?.startedAt ?? .distantPast
            if let keep, rank < keep { kept.insert(entry.id) }
            if let keepWithin, now.timeIntervalSince(started) <= keepWithin { kept.insert(entry.id) }
        }
        if let newest = complete.last {
            kept.insert(newest.id)
            for entry in entries where !entry.isComplete && entry.id > newest.id { kept.insert(entry.id) }
        } else {
            for entry in entries { kept.insert(entry.id) }  // nothing complete: remove nothing
        }
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
                plan.removedBinlogs = try self.pruneBinlogs(binlogs, before: oldestNeeded, dryRun: dryRun)
            }
        }
        if !dryRun {
            for entry in removed {
                do {
                    try FileManager.default.removeItem(atPath: entry.path)
                } catch {
                    throw BackupError(.io, "cannot remove \(entry.path): \(error.localizedDescription)")
                }
            }
        }
        return plan
    }

    private static func pruneBinlogs(_ path: String, before oldest: BinlogFileName, dryRun: Bool) throws -> [String] {
        let archive: ArchiveDirectory
        do {
            archive = try ArchiveDirectory(path: path)
        } catch {
            throw BackupError(.io, "cannot prune binlogs in \(path): \(error)")
        }
        var index = try archive.loadIndex()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let doomed = names.filter { name in
            guard let parsed = BinlogFileName(name) else { return false }
            return parsed.base == oldest.base && parsed < oldest
        }.sorted()
        guard !dryRun else { return doomed }
        index.files.removeAll { doomed.contains($0.name) }
        try archive.save(index)
        for name in doomed {
            do {
                try FileManager.default.removeItem(atPath: archive.filePath(name))
            } catch {
                throw BackupError(.io, "cannot remove \(archive.filePath(name)): \(error.localizedDescription)")
            }
        }
        return doomed
    }

    static func size(of path: String) -> UInt64 {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: UInt64 = 0
        for case let name as String in enumerator {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            }
        }
        return total
    }
}
