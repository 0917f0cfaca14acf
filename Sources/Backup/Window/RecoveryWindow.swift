import BackupStorage
import BinlogArchive
import Foundation

/// `rewind window`: which points in time the backups and the binlog archive can reach.
public struct RecoveryWindow: Codable, Hashable, Sendable {
    /// Per complete backup, oldest first.
    public var windows: [BackupWindow]
    /// The earliest reachable point (the oldest backup's snapshot), `nil` without complete backups.
    public var earliest: Date?
    /// The latest reachable point.
    public var latest: Date?
    /// Every distinct break in the chains.
    public var breaks: [WindowBreak]

    /// Computes the window from a backup catalog (a directory or an S3 prefix) and an archive directory (its
    /// `rewind-archive.json`; an archive in S3 is read through its local cache).
    ///
    /// - Throws: ``BackupError`` when the catalog or the archive index cannot be read.
    public static func compute(backups: any BackupStore, binlogs: String) async throws -> RecoveryWindow {
        let entries = try await BackupCatalog.list(backups).filter(\.isComplete)
        let indexPath = binlogs + "/" + ArchiveIndex.fileName
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw BackupError(
                .notABackup,
                "no \(ArchiveIndex.fileName) in \(binlogs): is it a directory that `rewind binlog archive` writes?"
            )
        }
        let index: ArchiveIndex
        do {
            index = try ArchiveIndex.decode(data)
        } catch {
            throw BackupError(.notABackup, "\(indexPath) is not readable: \(error)")
        }
        let files = index.numberedFiles
        var windows: [BackupWindow] = []
        for entry in entries {
            guard let manifest = entry.manifest else { continue }
            windows.append(self.window(for: manifest, files: files, index: index, directory: binlogs))
        }
        var breaks: [WindowBreak] = []
        for window in windows {
            if let item = window.breakInfo, !breaks.contains(item) { breaks.append(item) }
        }
        return RecoveryWindow(
            windows: windows,
            earliest: windows.map(\.from).min(),
            latest: windows.compactMap { $0.to ?? $0.from }.max(),
            breaks: breaks
        )
    }

    /// The window of one backup over the archive's files. With `directory`, each file is also looked at on disk:
    /// one that is missing, or shorter than the index says, breaks the chain there (the index alone would vouch
    /// for bytes that are gone).
    /// The stretches of time that can be reached, in order: each backup reaches from its snapshot to where its
    /// chain of binlogs ends or breaks; overlapping or touching stretches are one.
    public var reachableRanges: [ClosedRange<Date>] {
        let ranges = self.windows.map { $0.from...max($0.from, $0.to ?? $0.from) }.sorted {
            $0.lowerBound < $1.lowerBound
        }
        var merged: [ClosedRange<Date>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    package static func window(
        for manifest: BackupManifest, files: [ArchivedFile], index: ArchiveIndex, directory: String? = nil
    ) -> BackupWindow {
        let from = manifest.snapshotAt ?? manifest.startedAt
        var window = BackupWindow(
            backupID: manifest.id,
            from: from,
            to: nil,
            fromBinlog: manifest.binlog,
            toBinlog: nil,
            gtidSet: manifest.gtidSet,
            breakInfo: nil
        )
        guard let coordinates = manifest.binlog, let start = BinlogFileName(coordinates.file) else {
            window.breakInfo = WindowBreak(
                kind: "not-archived",
                afterFile: nil,
                files: [],
                message: "backup \(manifest.id) has no binlog coordinates (the server's binlog was off)",
                advice: "turn log_bin on and take a new backup"
            )
            return window
        }
        if let serverID = index.serverID, serverID != manifest.server.serverID {
            window.breakInfo = WindowBreak(
                kind: "other-server",
                afterFile: nil,
                files: [],
                message: "the archive holds binlogs of server_id \(serverID); backup \(manifest.id) is of server_id "
                    + "\(manifest.server.serverID)",
                advice: "point --binlogs at the archive of the backed-up server"
            )
            return window
        }
        guard let first = files.firstIndex(where: { $0.name == coordinates.file }) else {
            let archived = files.first.map { " (the archive starts at \($0.name))" } ?? ""
            window.breakInfo = WindowBreak(
                kind: "missing-file",
                afterFile: nil,
                files: [coordinates.file],
                message: "\(coordinates.file), where backup \(manifest.id) starts, is not in the archive\(archived)",
                advice: "find \(coordinates.file) and put it in the archive, or take a new backup"
            )
            return window
        }
        if let foreign = Self.backupGTIDBreak(manifest, files[first]) {
            window.breakInfo = foreign
            return window
        }
        var previous: (name: BinlogFileName, file: ArchivedFile)?
        for file in files[first...] {
            guard let name = BinlogFileName(file.name), name.base == start.base else { continue }
            if let previous {
                let missing = previous.name.names(before: name)
                if !missing.isEmpty {
                    window.breakInfo = WindowBreak(
                        kind: "missing-file",
                        afterFile: previous.file.name,
                        files: missing,
                        message: "\(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not in the "
                            + "archive (purged before it was archived?): the chain stops after \(previous.file.name)",
                        advice: "find \(missing.joined(separator: ", ")) and put \(missing.count == 1 ? "it" : "them") "
                            + "in the archive, or take a new backup (later points are reachable from a backup taken "
                            + "after the break)"
                    )
                    return window
                }
                if let gtidBreak = Self.gtidBreak(previous.file, file) {
                    window.breakInfo = gtidBreak
                    return window
                }
            }
            if let directory, let onDisk = Self.diskBreak(file, directory: directory, after: previous?.file.name) {
                window.breakInfo = onDisk
                return window
            }
            window.to = file.lastEventTime ?? window.to ?? from
            if window.to.map({ $0 < from }) ?? false { window.to = from }
            window.toBinlog = BinlogCoordinates(file: file.name, position: file.size)
            if let gap = index.gaps.first(where: { $0.afterFile == file.name }) {
                window.breakInfo = WindowBreak(
                    kind: "archive-gap",
                    afterFile: file.name,
                    files: gap.missingFiles,
                    message: "the archive has a gap after \(file.name): \(gap.reason)",
                    advice:
                        "find \((["the rest of \(file.name)"] + gap.missingFiles).joined(separator: ", ")) and put it "
                        + "in the archive, or take a new backup (later points are reachable from a backup taken after "
                        + "the gap)"
                )
                return window
            }
            if file.state == .incomplete {
                window.breakInfo = WindowBreak(
                    kind: "incomplete-file",
                    afterFile: file.name,
                    files: [file.name],
                    message: "\(file.name) is archived only in part (incomplete): later events are missing",
                    advice: "find the whole \(file.name) and put it in the archive, or take a new backup"
                )
                return window
            }
            previous = (name, file)
        }
        return window
    }

    /// A file of the index that is not in `directory`, or is shorter there than the index says.
    static func diskBreak(_ file: ArchivedFile, directory: String, after previous: String?) -> WindowBreak? {
        let path = directory + "/" + file.name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.uint64Value
        else {
            return WindowBreak(
                kind: "missing-file",
                afterFile: previous,
                files: [file.name],
                message: "\(file.name) is in the archive's index but not in \(directory)",
                advice:
                    "put \(file.name) back into the archive (from a copy, or the server if it still has it), or take "
                    + "a new backup"
            )
        }
        guard size >= file.size else {
            return WindowBreak(
                kind: "incomplete-file",
                afterFile: previous,
                files: [file.name],
                message: "\(path) is \(size) bytes, but the archive's index says \(file.size): it was cut short",
                advice: "put the whole \(file.name) back into the archive, or take a new backup"
            )
        }
        return nil
    }

    /// A MariaDB GTID (`domain-server-seq`) sequence that does not continue from one file to the next, in the
    /// same domain.
    static func gtidBreak(_ before: ArchivedFile, _ after: ArchivedFile) -> WindowBreak? {
        guard let last = before.lastGTID.flatMap(Self.mariaDBGTID),
            let first = after.firstGTID.flatMap(Self.mariaDBGTID),
            last.domain == first.domain, first.sequence != last.sequence + 1
        else { return nil }
        return WindowBreak(
            kind: "gtid-discontinuity",
            afterFile: before.name,
            files: [after.name],
            message: "\(after.name) starts at GTID \(after.firstGTID ?? "") but \(before.name) ends at "
                + "\(before.lastGTID ?? ""): transactions between them are missing",
            advice: "find the binlogs holding the missing transactions, or take a new backup"
        )
    }

    /// The file holding the backup's coordinates must hold its transactions: the first GTID archived in it comes at
    /// most one after the backup's GTID state of that domain (transactions before the coordinates are in the state,
    /// the first after them is the next). Another server with the same server_id (MariaDB's default is 1 everywhere)
    /// and the same file names fails it (audit, 2026-12-01: window said "recoverable" for another server's backup).
    static func backupGTIDBreak(_ manifest: BackupManifest, _ file: ArchivedFile) -> WindowBreak? {
        guard let first = file.firstGTID.flatMap(Self.mariaDBGTID), let state = manifest.gtidSet else { return nil }
        let entries = state.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard
            let same = entries.first(where: { Self.mariaDBGTID($0)?.domain == first.domain }),
            let sequence = Self.mariaDBGTID(same)?.sequence, first.sequence > sequence + 1
        else { return nil }
        return WindowBreak(
            kind: "other-server",
            afterFile: nil,
            files: [file.name],
            message: "backup \(manifest.id) holds the transactions up to GTID \(same), but \(file.name), where it "
                + "starts, begins at \(file.firstGTID ?? ""): the archive is of another server with the same server_id "
                + "and file names, or transactions are missing",
            advice: "point --binlogs at the archive of the backed-up server"
        )
    }

    static func mariaDBGTID(_ text: String) -> (domain: UInt32, sequence: UInt64)? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let domain = UInt32(parts[0]), UInt32(parts[1]) != nil, let sequence = UInt64(parts[2])
        else { return nil }
        return (domain, sequence)
    }
}
