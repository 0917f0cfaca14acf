import Foundation

/// The archiver's decisions about files: which server it may archive, where a connection's dump starts, and which
/// gaps the archive records, or a refusal. Pure: it compares what the archive holds (its ``ArchiveIndex``) with
/// what the server says (its `server_id`, `SHOW BINARY LOGS`, the file a dump names), and does no I/O.
///
/// Refusals are ``ArchiveError``s that say what happened and what to do: another server, a binlog reset
/// (`RESET MASTER`), a file the server does not have.
struct ArchivePlanner {
    /// The archive (a directory or `s3://bucket/prefix`), for errors.
    var archive: String
    /// Where each file is, for errors (``ArchiveStore/location(of:)``).
    var locate: (String) -> String
    /// When a gap found now is detected.
    var now: Date

    /// Refuses a server whose `server_id` is the archiver's own `--server-id`, or is not the server the archive
    /// holds the binlogs of.
    ///
    /// - Parameters:
    ///   - serverID: the server's `@@server_id` (`nil` when it did not say).
    ///   - ownServerID: the archiver's replica server id.
    ///   - server: the server's address, for errors.
    ///   - index: what the archive holds.
    func checkServer(serverID: UInt32?, ownServerID: UInt32, server: String, index: ArchiveIndex) throws {
        if let serverID, serverID == ownServerID {
            throw ArchiveError(
                "--server-id \(ownServerID) is the server's own server_id; pick another one",
                path: self.archive
            )
        }
        if let known = index.serverID, let serverID, known != serverID {
            throw ArchiveError(
                "this archive holds the binlogs of server_id \(known), but \(server) is server_id \(serverID); "
                    + "archive it into another directory (or S3 prefix)",
                path: self.archive
            )
        }
    }

    /// Where a connection's dump starts: at the end of the archive's last file, or after it (with a gap) when the
    /// server purged it; for an empty archive, where the options ask.
    ///
    /// - Parameters:
    ///   - serverLogs: `SHOW BINARY LOGS`, oldest first.
    ///   - archive: what the archive holds.
    ///   - start: where an empty archive starts (``ArchiveOptions/start``).
    ///   - gtidStartFile: for ``ArchiveOptions/Start/gtid(_:)``, the file the server named for the GTID set.
    ///   - refetchFrom: where the dump starts instead of the archive's end, when the tail of the archive's last
    ///     (open) file is fetched again to be compared (a file without checksums).
    /// - Throws: ``ArchiveError`` when the server lists no binlogs, does not have the file asked for, or its files
    ///   do not follow the archive's (a reset binlog or another server).
    func start(
        serverLogs logs: [String],
        archive index: ArchiveIndex,
        start: ArchiveOptions.Start,
        gtidStartFile: String?,
        refetchFrom: UInt64?
    ) throws -> ArchiveStartPlan {
        guard let oldest = logs.first, let newest = logs.last else {
            throw ArchiveError("the server lists no binary logs (SHOW BINARY LOGS is empty)")
        }
        if let last = index.files.last {
            if logs.contains(last.name) {
                return ArchiveStartPlan(file: last.name, position: refetchFrom ?? last.size)
            }
            // The server purged the archive's last file: go on with the next one it has, and say what was lost.
            guard let lastName = BinlogFileName(last.name),
                let next = logs.first(where: {
                    BinlogFileName($0).map { $0 > lastName && $0.base == lastName.base } ?? false
                }),
                let nextName = BinlogFileName(next)
            else {
                throw ArchiveError(
                    "the archive ends with \(last.name) but the server's binlogs (\(oldest) … \(newest)) do not "
                        + "follow it: was the binlog reset (RESET MASTER) or is this another server? Archive into a "
                        + "new directory (or S3 prefix)",
                    path: self.archive
                )
            }
            var plan = ArchiveStartPlan(file: next, position: 4)
            let missing = lastName.names(before: nextName)
            if last.state != .complete || !missing.isEmpty {
                plan.lastFileIsIncomplete = last.state == .open
                plan.gap = ArchiveGap(
                    afterFile: last.name,
                    afterPosition: last.size,
                    missingFiles: missing,
                    resumedAt: next,
                    detectedAt: self.now,
                    reason: last.state == .complete
                        ? "the server purged these files before they were archived"
                        : "the server purged \(last.name) before it was archived to its end"
                )
            }
            return plan
        }
        switch start {
        case .oldest:
            return ArchiveStartPlan(file: oldest, position: 4)
        case .file(let name):
            guard logs.contains(name) else {
                throw ArchiveError("the server has no binlog \(name); it has \(oldest) … \(newest) (SHOW BINARY LOGS)")
            }
            return ArchiveStartPlan(file: name, position: 4)
        case .gtid:
            guard let gtidStartFile, logs.contains(gtidStartFile) else {
                throw ArchiveError("the file holding the --from-gtid position is gone from the server")
            }
            return ArchiveStartPlan(file: gtidStartFile, position: 4)
        }
    }

    /// What to do when the dump names file `name` at `position` (an artificial ROTATE, or the ROTATE that ended the
    /// previous file) and no file of that name is being written.
    ///
    /// - Parameters:
    ///   - archive: what the archive holds (the file being written, if any, already completed).
    ///   - gapReportedBefore: files before which a gap is already recorded (when the connection started).
    /// - Throws: ``ArchiveError`` when the archive already has the file (a reset binlog reuses names), the name
    ///   does not follow the archive's last file, or the dump does not start the file at its first event.
    func nextFile(
        _ name: String,
        position: UInt64,
        archive index: ArchiveIndex,
        gapReportedBefore: Set<String>
    ) throws -> ArchiveFileSwitch {
        if let existing = index.file(named: name) {
            // A dump that starts at the end of the archive's last, complete file names that file first.
            if existing.name == index.files.last?.name, existing.state != .open, position == existing.size {
                return .alreadyArchived
            }
            throw ArchiveError(
                "the server sends \(name) again but the archive already has it (\(existing.state), \(existing.size) "
                    + "bytes): was the binlog reset (RESET MASTER)? Archive into a new directory (or S3 prefix)",
                path: self.locate(name)
            )
        }
        var gap: ArchiveGap?
        if let last = index.files.last, let lastName = BinlogFileName(last.name),
            let newName = BinlogFileName(name), !gapReportedBefore.contains(name)
        {
            guard newName > lastName, newName.base == lastName.base else {
                throw ArchiveError(
                    "the server goes on with \(name), which does not follow the archive's \(last.name): was the binlog "
                        + "reset (RESET MASTER)? Archive into a new directory (or S3 prefix)",
                    path: self.archive
                )
            }
            let missing = lastName.names(before: newName)
            if !missing.isEmpty {
                gap = ArchiveGap(
                    afterFile: last.name,
                    afterPosition: last.size,
                    missingFiles: missing,
                    resumedAt: name,
                    detectedAt: self.now,
                    reason: "the server purged these files before they were archived"
                )
            }
        }
        guard position == 4 else {
            throw ArchiveError(
                "the server starts \(name) at byte \(position); the archive keeps whole files and needs it from byte 4",
                path: self.locate(name)
            )
        }
        return .start(gapBefore: gap)
    }
}
