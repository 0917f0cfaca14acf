import BinlogFormat

/// Brings an archive's index in line with the files its store holds, after a crash or a kill: the files are the
/// truth, the index may lag behind them.
///
/// - Files on the store after the index's last entry (an archiver killed before it saved) are adopted.
/// - Every open file is read again from its first event (the index's size says nothing about the bytes: a flipped
///   byte or a zeroed tail keeps the size), cut back to its last good event and counted again from what is there.
/// - An open file that already ends with ROTATE or STOP is completed; an older one left open (the server moved on
///   while the archiver was down) is closed as it is; the last one is handed back to be appended to.
struct ArchiveFileRecovery {
    /// The archive's last file, open to append to.
    struct OpenFile {
        var writer: any ArchiveFileWriting
        /// Its entry's position in the index.
        var entryIndex: Int
        var gtids: GTIDSet
        /// The inspector after the file's events (it has seen its FORMAT_DESCRIPTION).
        var inspector: ArchiveEventInspector
        /// Where the dump starts instead of the file's end, and that end: no CRC32 vouches for the file's tail,
        /// so its last 64 KiB are fetched again and compared.
        var refetch: (from: UInt64, to: UInt64)?
    }

    /// A file cut back to its last good event.
    struct Truncation {
        var file: String
        var location: String
        var from: UInt64
        var to: UInt64
    }

    /// What was recovered.
    struct Outcome {
        var index: ArchiveIndex
        var openFile: OpenFile?
    }

    /// How much of a resumed file without checksums is fetched again and compared.
    static let refetchLength: UInt64 = 64 * 1024

    let store: any ArchiveStore
    let verifyChecksums: Bool

    /// Recovers the files `index` lists (and those after its last entry).
    ///
    /// - Parameter onTruncation: called for each file cut back, as it is cut.
    /// - Throws: ``ArchiveError`` when a listed file is missing or is not a binlog, or the store fails.
    func recover(_ index: ArchiveIndex, onTruncation: (Truncation) -> Void) throws -> Outcome {
        var outcome = Outcome(index: index)
        let known = Set(index.files.map(\.name))
        let lastKnown = index.files.last.flatMap { BinlogFileName($0.name) }
        for name in try self.store.binlogFileNames() where !known.contains(name) {
            guard let parsed = BinlogFileName(name), lastKnown.map({ parsed > $0 }) ?? true else { continue }
            outcome.index.files.append(ArchivedFile(name: name))
        }
        for position in outcome.index.files.indices where outcome.index.files[position].state == .open {
            let isLast = position == outcome.index.files.count - 1
            let name = outcome.index.files[position].name
            var recentOffsets: [UInt64] = []  // event starts near the end (for a file without checksums)
            let counted = try self.recount(name) { inspection, offset in
                if !inspection.isFormatDescription { recentOffsets.append(offset) }
                if recentOffsets.count > 8192 { recentOffsets.removeFirst(4096) }  // ≥ 4096 events ≥ 77 KiB remain
            }
            var entry = counted.entry
            let result = counted.resume
            if let (from, to) = result.truncated {
                onTruncation(Truncation(file: name, location: self.store.location(of: name), from: from, to: to))
            }
            if let ending = result.endedWith {
                try result.writer.complete()
                entry.state = .complete
                entry.ending = ending == .rotate ? "rotate" : "stop"
                try result.writer.seal(entry, index: outcome.index)
            } else if isLast {
                var open = OpenFile(
                    writer: result.writer,
                    entryIndex: position,
                    gtids: counted.gtids,
                    inspector: result.inspector
                )
                let size = result.writer.size
                if !result.inspector.hasChecksums || !self.verifyChecksums,
                    let from = recentOffsets.last(where: { $0 + Self.refetchLength <= size }) ?? recentOffsets.first
                {
                    open.refetch = (from, size)
                }
                outcome.openFile = open
            } else {
                try result.writer.sync()
                entry.state = .complete
                entry.ending = "server moved on"
                try result.writer.seal(entry, index: outcome.index)
            }
            outcome.index.files[position] = entry
        }
        return outcome
    }

    /// Opens file `name` to append to it, after checking every event in it and cutting it back to its last good
    /// event, and counts its index entry again from what is there.
    ///
    /// - Parameter onEvent: also called for each good event, with its offset.
    /// - Returns: the entry (size, counts, GTIDs; state ``ArchivedFile/State/open``), the file's GTIDs, and what
    ///   resuming found.
    func recount(
        _ name: String,
        onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void = { _, _ in }
    ) throws -> (entry: ArchivedFile, gtids: GTIDSet, resume: ArchiveResume) {
        var entry = ArchivedFile(name: name)
        var gtids = GTIDSet()
        let result = try self.store.resumeFile(named: name, from: 4, verifyChecksums: self.verifyChecksums) {
            inspection,
            offset in
            entry.record(inspection, gtids: &gtids)
            onEvent(inspection, offset)
        }
        entry.size = result.writer.size
        if !gtids.isEmpty { entry.gtidSet = gtids.description }
        return (entry, gtids, result)
    }
}
