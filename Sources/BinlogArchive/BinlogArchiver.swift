import BinlogFormat
import Foundation
import Logging
import MySQLWire
import NIOCore

/// Copies a server's binlog files into a directory, byte for byte, as a replica receives them.
///
/// - Each event is checked (CRC32, and that it starts where the archived file ends) before it is written; the
///   archived files are the server's files, the same names and bytes. A finished file gets what the server does to
///   its own copy when it closes it (the in-use flag cleared).
/// - After a failure (network, server restart, SIGKILL of the archiver itself) the next run or reconnection goes on
///   exactly where the archived file ends: a partial trailing event is cut off first, nothing is skipped or repeated.
/// - Files the server purged before they were archived are gaps: reported, kept in the index, never papered over.
///
/// The files go to an ``ArchiveStore``: a local directory, or an S3 prefix (``S3ArchiveStore``, when
/// ``ArchiveOptions/directory`` is `s3://bucket/prefix`; the archiver then runs on a thread of its own, see
/// ``ArchiverThread``). One archiver per store (a lock file or a lease makes sure). Not thread-safe: run it from one
/// task.
public final class BinlogArchiver {
    private let configuration: MySQLConnection.Configuration
    let options: ArchiveOptions
    private let logger: Logger
    /// Times the syncs of the open file (the upload interval of an S3 archive), progress reports and retry waits.
    private let clock: any ArchiveClock

    /// Opens the store the options name (a local directory; an S3 prefix is opened by ``run(report:)``; tests pass
    /// their own).
    var openStore: (ArchiveOptions) throws -> any ArchiveStore
    /// Whether the store was given (tests) rather than named by ``ArchiveOptions/directory``.
    let hasGivenStore: Bool
    private var store: (any ArchiveStore)!
    private var index = ArchiveIndex()
    private var summary = ArchiveSummary()
    /// The file being appended to, with its entry's position in ``index``.
    private var writer: (any ArchiveFileWriting)?
    private var entryIndex: Int?
    private var gtids = GTIDSet()
    private var inspector: ArchiveEventInspector
    /// What each event of the stream means for the archive (chunks, rotations, heartbeats, comparisons).
    private var streamState: ArchiveStreamStateMachine
    /// Files for which a gap was already recorded (so that the ROTATE that follows does not record it again).
    private var gapReportedBefore: Set<String> = []
    private var lastIndexSave: ContinuousClock.Instant
    private var lastProgress: ContinuousClock.Instant
    /// The header timestamp of the last archived event, and whether a progress report is owed for it.
    private var lastEventTime: UInt32 = 0
    private var isProgressOwed = false
    private var isIndexDirty = false
    /// Inside ``handle(_:artificial:)-([BinlogEventChunk])``: the end of a transaction leaves its flush to the end
    /// of the batch.
    private var isInsideBatch = false
    /// A transaction ended since the last flush.
    private var isFlushOwed = false
    /// Receives progress, file and gap events (set by ``run(report:)``; tests set it to watch ``handle(_:artificial:)``).
    var report: (ArchiverEvent) -> Void = { _ in }
    /// Called with the index just before each save, and the durable size of the file being written (tests: check
    /// that the index never runs ahead of the data, or fail here as a crash between the two writes would).
    var beforeIndexSave: ((ArchiveIndex, _ durableSize: UInt64?) throws -> Void)?

    /// An archiver that keeps its files in the store `openStore` opens.
    init(
        configuration: MySQLConnection.Configuration,
        options: ArchiveOptions,
        logger: Logger,
        hasGivenStore: Bool = true,
        clock: any ArchiveClock = SystemArchiveClock(),
        openStore: @escaping (ArchiveOptions) throws -> any ArchiveStore
    ) {
        self.hasGivenStore = hasGivenStore
        self.clock = clock
        self.lastIndexSave = clock.now()
        self.lastProgress = clock.now()
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.openStore = openStore
        self.inspector = ArchiveEventInspector(verifiesChecksums: options.verifyChecksums)
        self.streamState = ArchiveStreamStateMachine(archive: options.directory)
    }

    /// Archives into the store the archiver was given (``run(report:)`` picks it: see `BinlogArchiver+Store.swift`).
    func runWithStore(report: @escaping (ArchiverEvent) -> Void) async throws -> ArchiveSummary {
        self.report = report
        defer { self.store?.release() }
        try self.prepare()
        for warning in self.store.warnings { report(.notice(warning)) }
        if let last = self.index.files.last, self.options.start != .oldest {
            report(
                .notice(
                    "the archive already holds files: it goes on after \(last.name) (--from and --from-gtid only "
                        + "choose where an empty archive starts)"
                )
            )
        }

        var resolvedStart: String?
        let retries = ArchiveRetryLoop(
            policy: ArchiveRetryPolicy(self.options),
            follow: self.options.follow,
            clock: self.clock
        )
        do {
            try await retries.run { madeProgress in
                if case .gtid(let set) = self.options.start, self.index.files.isEmpty, resolvedStart == nil {
                    resolvedStart = try await self.resolveGTIDStart(set)
                }
                return try await self.streamOnce(startFile: resolvedStart, onProgress: madeProgress)
            } afterFailure: {
                try self.finishWrites()
            } report: {
                self.report($0)
            }
        } catch {
            // Cancelled (SIGINT/SIGTERM): what was received is kept, and that is a normal end.
            guard error is CancellationError || Task.isCancelled else {
                try? self.finishWrites()
                // A first run that archived nothing (it could not log in, say) leaves no directory behind.
                if self.index.files.isEmpty {
                    self.store.removeIfCreatedAndEmpty()
                    self.store.release()
                    self.store = nil
                }
                throw error
            }
        }
        try self.finishWrites()
        self.summary.index = self.index
        return self.summary
    }

    /// Opens (and locks) the store, loads the index and brings it in line with the files.
    func prepare() throws {
        self.store = try self.openStore(self.options)
        self.index = try self.store.loadIndex()
        try self.recoverFiles()
        try self.saveIndex()
    }

    /// Drops the file being written and the directory lock, as a killed process would (tests).
    func abandon() {
        _ = self.streamState.abandonIncomingEvent()
        self.writer = nil
        self.store = nil
    }

    /// The index as it stands (tests).
    var currentIndex: ArchiveIndex { self.index }

    // MARK: - One connection

    /// Connects, picks the starting point and streams until the stream ends (`true`) or fails (throws).
    private func streamOnce(startFile: String?, onProgress: () -> Void) async throws -> Bool {
        var logger = self.logger
        logger[metadataKey: "archive"] = "\(self.options.directory)"
        return try await MySQLConnection.withConnection(configuration: self.configuration, logger: logger) {
            connection in
            try await self.checkServer(connection)
            let (file, position) = try await self.startPoint(connection, startFile: startFile)
            let handshakeVersion = await connection.serverVersion
            self.report(
                .connected(
                    server: self.configuration.endpoint.description,
                    version: self.index.serverVersion ?? handshakeVersion,
                    file: file,
                    position: position
                )
            )
            let request = BinlogDumpRequest(
                start: .position(file: file, position: position),
                mode: self.options.follow ? .follow : .stopAtEnd,
                serverID: self.options.serverID,
                heartbeatPeriod: self.options.heartbeatPeriod,
                idleTimeout: self.options.heartbeatPeriod * 3 + .seconds(5)
            )
            let stream = try await connection.binlogEventChunks(request)
            var artificial = ArtificialEventDecoder(hasCRC32: stream.hasCRC32)
            // Progress (the retry attempts count from 1 again) is bytes archived: the artificial ROTATE and the
            // FORMAT_DESCRIPTION every dump starts with are not, or a dump that fails right after them (a position
            // the server cannot serve) would be retried for ever without backing off.
            let start = self.writer.map { ($0.name, $0.size) }
            var progressed = false
            do {
                for try await chunks in stream {
                    try self.handle(chunks, artificial: &artificial)
                    if !progressed, let writer = self.writer, writer.name != start?.0 || writer.size != start?.1 {
                        progressed = true
                        onProgress()
                    }
                }
            } catch let error as MySQLError where error.serverError?.code == ServerErrorCode.replicaSameID {
                try self.abandonIncomingEvent()
                // Reconnecting would drop the other one's dump in turn, and so on for ever.
                throw ArchiveError(
                    "\(self.configuration.endpoint.description) dropped this archiver's binlog dump: another replica or "
                        + "archiver connected with the same replica server id, \(self.options.serverID) (\(error)). Give "
                        + "each archiver of a server its own --server-id, different from every replica's server_id",
                    path: self.options.directory)
            } catch {
                try self.abandonIncomingEvent()
                throw error
            }
            if self.streamState.isInsideEvent {
                try self.abandonIncomingEvent()
                if Task.isCancelled { throw CancellationError() }
                throw MySQLError(code: .connectionClosed, reason: "the binlog stream ended inside an event")
            }
            if Task.isCancelled { throw CancellationError() }
            try self.finishWrites()
            if let writer = self.writer {
                self.reportProgress(at: self.clock.now(), force: true)
                self.report(.caughtUp(file: writer.name, position: writer.size))
            }
            return true
        }
    }

    /// The archive's decisions about files, as of now.
    private var planner: ArchivePlanner {
        let store = self.store
        return ArchivePlanner(
            archive: self.options.directory,
            locate: { store?.location(of: $0) ?? $0 },
            now: Date()
        )
    }

    /// Refuses a server that is not the one the archive holds, and a clashing server id.
    private func checkServer(_ connection: MySQLConnection) async throws {
        let row = try await connection.rows("SELECT @@server_id, VERSION()").first
        let serverID = row?[0].uint64.map { UInt32(truncatingIfNeeded: $0) }
        try self.planner.checkServer(
            serverID: serverID,
            ownServerID: self.options.serverID,
            server: self.configuration.endpoint.description,
            index: self.index
        )
        if self.index.serverID == nil || self.index.server == nil {
            self.index.serverID = serverID
            self.index.server = self.configuration.endpoint.description
            self.index.serverVersion = row?[1].string
            try self.saveIndex()
        }
    }

    /// Where this connection's dump starts: after the archive's last file, or the start the options ask for.
    private func startPoint(_ connection: MySQLConnection, startFile: String?) async throws -> (String, UInt64) {
        let logs: [String]
        var sizes: [String: UInt64] = [:]
        do {
            let rows = try await connection.rows("SHOW BINARY LOGS")
            logs = rows.compactMap { $0[0].string }
            for row in rows {
                if let name = row[0].string, row.count > 1, let size = row[1].uint64 { sizes[name] = size }
            }
        } catch let error as MySQLError where ArchiveRetryPolicy.isNoBinaryLogging(error) {
            throw ArchiveError("the server does not write a binary log (log_bin is OFF); see `rewind status`")
        }
        var refetchFrom: UInt64?
        if let refetch = self.streamState.refetch, let last = self.index.files.last, self.writer?.name == last.name,
            refetch.to == last.size
        {
            refetchFrom = refetch.from
        }
        let plan = try self.planner.start(
            serverLogs: logs,
            archive: self.index,
            start: self.options.start,
            gtidStartFile: startFile,
            refetchFrom: refetchFrom
        )
        if plan.lastFileIsIncomplete, let entryIndex = self.entryIndex {
            try self.writer?.sync()
            self.writer = nil
            self.entryIndex = nil
            self.index.files[entryIndex].state = .incomplete
        }
        if let gap = plan.gap { try self.recordGap(gap) }
        if plan.position > 4, let size = sizes[plan.file], size < plan.position {
            // A binlog file only grows: the server's is not the archived one (the server would answer "impossible
            // position", again at every retry).
            throw ArchiveError(
                "the server's \(plan.file) has \(size) bytes, fewer than the \(plan.position) the archive holds: it is "
                    + "not the archived file. The binary log was reset (RESET MASTER), this is another server whose "
                    + "files have the same names, or the server lost the end of the file in a crash (sync_binlog "
                    + "other than 1). Nothing was written; archive this server into another directory (or move the "
                    + "archived \(plan.file) away first if the reset was meant): one archive never mixes two servers' "
                    + "files",
                path: self.store?.location(of: plan.file) ?? self.options.directory, offset: size)
        }
        return (plan.file, plan.position)
    }

    /// Asks the server which file holds the first transaction after `set`: a GTID dump's first ROTATE names it.
    private func resolveGTIDStart(_ set: String) async throws -> String {
        try await MySQLConnection.withConnection(configuration: self.configuration, logger: self.logger) { connection in
            let start: BinlogDumpRequest.Start
            if await connection.isMariaDB {
                start = .mariaDBGTID(set)
            } else {
                guard let parsed = GTIDSet(set) else {
                    throw ArchiveError("--from-gtid \(set) is not a GTID set (uuid:1-5 or, for MariaDB, 0-1-50)")
                }
                start = .mysqlGTIDSet(parsed)
            }
            let stream = try await connection.binlogEvents(
                BinlogDumpRequest(start: start, mode: .stopAtEnd, serverID: self.options.serverID)
            )
            var decoder = ArtificialEventDecoder(hasCRC32: stream.hasCRC32)
            for try await event in stream {
                if let rotate = try decoder.rotate(event) { return rotate.nextFileName }
            }
            throw ArchiveError("the server sent no ROTATE for --from-gtid \(set)")
        }
    }

    // MARK: - Events

    /// The file being written, as the stream state machine sees it.
    private var openFile: ArchiveStreamStateMachine.OpenFile? {
        self.writer.map { .init(name: $0.name, size: $0.size, location: $0.location) }
    }

    /// Takes one whole event of the dump stream.
    func handle(_ event: ByteBuffer, artificial: inout ArtificialEventDecoder) throws {
        try self.handle(BinlogEventChunk(wholeEvent: event), artificial: &artificial)
    }

    /// Takes the chunks that one read of the dump stream brought, in order, then writes out the transactions they
    /// ended: one write per read, not one per transaction, and nothing ended is left unwritten while the stream
    /// waits for the network.
    func handle(_ chunks: [BinlogEventChunk], artificial: inout ArtificialEventDecoder) throws {
        self.isInsideBatch = true
        defer { self.isInsideBatch = false }
        for chunk in chunks { try self.handle(chunk, artificial: &artificial) }
        try self.flushIfOwed()
    }

    /// Writes out what ended transactions left buffered.
    private func flushIfOwed() throws {
        guard self.isFlushOwed else { return }
        self.isFlushOwed = false
        try self.writer?.flush()
    }

    /// Takes one event, or one chunk of a long event, of the dump stream: artificial events steer, file events are
    /// checked and written. A long file event goes to its file chunk by chunk, its CRC32 computed on the way and
    /// checked at its end, so memory does not grow with its size; a bad one is cut back off the file.
    func handle(_ chunk: BinlogEventChunk, artificial: inout ArtificialEventDecoder) throws {
        switch try self.streamState.chunk(chunk, file: self.openFile) {
        case .nothing:
            break
        case .whole(let event):
            try self.handleWhole(event, artificial: &artificial)
        case .openNextFile(let name):
            try self.switchFile(to: name, position: 4)
            guard self.writer != nil else { return }
            try self.handle(chunk, artificial: &artificial)
        case .stream(let bytes, let offset, let comparing):
            try self.writeStreamed(bytes, at: offset, comparing: comparing)
            if chunk.isLast, let event = self.streamState.endStreamedEvent() { try self.finish(event) }
        }
    }

    /// Takes one whole event: artificial ones steer, file events are checked, then written.
    private func handleWhole(_ event: ByteBuffer, artificial: inout ArtificialEventDecoder) throws {
        let action = try self.streamState.route(event, file: self.openFile, artificial: &artificial)
        guard let header = BinlogEventHeader(peekingAt: event) else { return }  // `route` refused it already
        switch action {
        case .skip:
            if header.type == .formatDescription, let writer = self.writer, writer.size > 4 {
                // A dump resumed inside the file repeats its FORMAT_DESCRIPTION: it must be the archived file's.
                try ResumedFileIdentity.check(event, name: writer.name, location: writer.location) {
                    try writer.holds($0, at: $1)
                }
            }
            self.logger.debug("skipped an event the archive does not keep")
            return
        case .caughtUp:
            try self.finishWrites(sync: false)
            self.reportProgress(at: self.clock.now(), force: true)
            if let writer = self.writer { self.report(.caughtUp(file: writer.name, position: writer.size)) }
            return
        case .rotate(let name, let position):
            return try self.switchFile(to: name, position: position)
        case .openNextFile(let name):
            try self.switchFile(to: name, position: 4)
            guard self.writer != nil else { return }
            return try self.handleWhole(event, artificial: &artificial)
        case .compare(let at):
            guard let current = self.writer else { return }
            if try current.holds(event, at: at) {
                return self.streamState.compared(upTo: at + UInt64(header.eventSize), file: self.openFile)
            }
            // The archived bytes are not the server's: cut back to this event and take the server's from here.
            try self.cutBack(to: at, reason: "its \(header.type) event at byte \(at) differs from the server's")
            self.streamState.archiveDiffers()
        case .append:
            break  // at the file's end
        }
        guard let writer = self.writer else { return }
        let position = writer.size
        let inspection: ArchiveEventInspector.Inspection
        do {
            inspection = try self.inspector.inspect(event, position: position)
        } catch let error as ArchiveError {
            throw ArchiveError(
                "the server's \(writer.name) at byte \(position): \(error.reason); nothing of it was written",
                path: writer.location,
                offset: position
            )
        }
        if header.type == .formatDescription {
            try writer.appendFormatDescription(event)
        } else {
            try writer.append(event)
        }
        try self.commit(header, inspection)
    }

    /// Writes (or compares) the next bytes of a long event, which start at `offset` in its file.
    private func writeStreamed(_ bytes: ByteBuffer, at offset: UInt64, comparing: Bool) throws {
        guard let writer = self.writer else {
            throw ArchiveError("no archived file is open for the event", path: self.options.directory)
        }
        if comparing {
            if try writer.holds(bytes, at: offset) { return }
            // The archived bytes differ from here on: keep those that matched, write the server's from here.
            try writer.cut(to: offset)
            self.streamState.archiveDiffers()
        }
        try writer.append(bytes)
        self.reportProgress(at: self.clock.now())
    }

    /// Ends a long event: checks its CRC32 and records it, or cuts it back off the file.
    private func finish(_ event: StreamedEvent) throws {
        if event.isComparing { return self.streamState.compared(upTo: event.end, file: self.openFile) }
        guard let writer = self.writer else { return }
        let inspection: ArchiveEventInspector.Inspection
        do {
            inspection = try self.inspector.inspect(header: event.header, checksum: event.checksum)
        } catch let error as ArchiveError {
            try self.cutOff(event)
            throw ArchiveError(
                "the server's \(writer.name) at byte \(event.start): \(error.reason); the event's "
                    + "\(event.received) bytes were cut off the file again",
                path: writer.location,
                offset: event.start
            )
        }
        if event.replacedArchive {
            let reason = "its \(event.header.type) event at byte \(event.start) differs from the server's"
            return try self.cutBack(to: event.end, reason: reason)  // counts the file's entry again
        }
        try self.commit(event.header, inspection)
    }

    /// Cuts what a long event wrote back off its file.
    private func cutOff(_ event: StreamedEvent) throws {
        if event.replacedArchive {
            try self.cutBack(to: event.start, reason: "the server's \(event.header.type) event did not arrive whole")
        } else if !event.isComparing {
            try self.writer?.cut(to: event.start)
        }
    }

    /// The stream broke inside a long event: what it wrote of the event is cut back off the file, which then ends
    /// at an event boundary again.
    func abandonIncomingEvent() throws {
        guard let event = self.streamState.abandonIncomingEvent() else { return }
        try self.cutOff(event)
        self.logger.debug(
            "cut off an event the stream broke inside",
            metadata: ["binlog.position": "\(event.start)", "binlog.received": "\(event.received)"]
        )
    }

    /// Records a file event that is now in its file: the index entry, the counts, a flush at the end of a
    /// transaction, a sync when the store's interval has passed, progress; a ROTATE or STOP completes the file.
    private func commit(_ header: BinlogEventHeader, _ inspection: ArchiveEventInspector.Inspection) throws {
        guard let writer = self.writer, let entryIndex = self.entryIndex else { return }
        self.index.files[entryIndex].record(inspection, gtids: &self.gtids)
        self.index.files[entryIndex].size = writer.size
        self.summary.bytesArchived += UInt64(header.eventSize)
        self.isIndexDirty = true
        self.lastEventTime = header.timestamp
        self.isProgressOwed = true

        let now = self.clock.now()
        let action = self.streamState.committed(
            header,
            inspection: inspection,
            sinceLastSave: now - self.lastIndexSave,
            syncInterval: self.store.syncInterval
        )
        if let ending = action.completeFile { return try self.completeCurrentFile(ending: ending) }
        if action.flush {
            self.isFlushOwed = true
            if !self.isInsideBatch { try self.flushIfOwed() }
        }
        if action.sync { try self.finishWrites(sync: true) }
        self.reportProgress(at: now)
    }

    /// Reports where the file being written stands, at most every 250 ms; with `force`, now if an event archived
    /// since the last report has not been reported.
    private func reportProgress(at now: ContinuousClock.Instant, force: Bool = false) {
        guard let writer = self.writer, force ? self.isProgressOwed : now - self.lastProgress >= .milliseconds(250)
        else { return }
        self.lastProgress = now
        self.isProgressOwed = false
        self.report(
            .progress(
                file: writer.name,
                position: writer.size,
                bytesThisRun: self.summary.bytesArchived,
                eventTime: self.lastEventTime
            )
        )
    }

    /// The server goes on in `name` at `position` (an artificial ROTATE, or the file the last ROTATE named).
    private func switchFile(to name: String, position: UInt64) throws {
        guard try self.streamState.fileNamed(name, position: position, file: self.openFile) == .switchFile else {
            return
        }
        if self.writer != nil {
            // The file ended without ROTATE or STOP (the server crashed, then started a new file).
            try self.completeCurrentFile(ending: "server moved on", clearInUseFlag: false)
        }
        let next = try self.planner.nextFile(
            name,
            position: position,
            archive: self.index,
            gapReportedBefore: self.gapReportedBefore
        )
        guard case .start(let gap) = next else { return }
        if let gap { try self.recordGap(gap) }
        let writer = try self.store.createFile(named: name)
        self.writer = writer
        self.index.files.append(ArchivedFile(name: name))
        self.entryIndex = self.index.files.count - 1
        self.gtids = GTIDSet()
        self.inspector.reset()
        try self.saveIndex()  // a file on disk is always in the index
        self.report(.fileStarted(name: name))
    }

    private func completeCurrentFile(ending: String, clearInUseFlag: Bool = true) throws {
        guard let writer = self.writer, let entryIndex = self.entryIndex else { return }
        if clearInUseFlag { try writer.complete() } else { try writer.sync() }
        if !self.gtids.isEmpty { self.index.files[entryIndex].gtidSet = self.gtids.description }
        self.index.files[entryIndex].state = .complete
        self.index.files[entryIndex].ending = ending
        self.index.files[entryIndex].size = writer.size
        try writer.seal(self.index.files[entryIndex], index: self.index)
        self.writer = nil
        self.entryIndex = nil
        try self.saveIndex()
        self.summary.filesCompleted.append(self.index.files[entryIndex].name)
        self.report(.fileCompleted(self.index.files[entryIndex]))
    }

    private func recordGap(_ gap: ArchiveGap) throws {
        self.index.gaps.append(gap)
        self.summary.gaps.append(gap)
        self.gapReportedBefore.insert(gap.resumedAt)
        try self.saveIndex()
        self.report(.gap(gap))
    }

    // MARK: - Disk state

    /// Brings the index in line with the files (``ArchiveFileRecovery``), and takes the last open file to append to.
    private func recoverFiles() throws {
        let outcome = try self.recovery.recover(self.index) { truncation in
            self.logger.warning(
                "cut off a partial trailing event",
                metadata: [
                    "file": "\(truncation.location)", "from": "\(truncation.from)", "to": "\(truncation.to)",
                ]
            )
            self.report(.truncated(file: truncation.file, from: truncation.from, to: truncation.to))
        }
        self.index = outcome.index
        if let open = outcome.openFile {
            self.writer = open.writer
            self.entryIndex = open.entryIndex
            self.gtids = open.gtids
            self.inspector = open.inspector
            self.streamState.refetch = open.refetch
        }
    }

    private var recovery: ArchiveFileRecovery {
        ArchiveFileRecovery(store: self.store, verifyChecksums: self.options.verifyChecksums)
    }

    /// Cuts the file being written back to `offset` (an event boundary) and counts its entry again from the file.
    private func cutBack(to offset: UInt64, reason: String) throws {
        guard let writer = self.writer, let entryIndex = self.entryIndex else { return }
        let from = writer.size
        try writer.cut(to: offset)
        self.writer = nil
        let (entry, gtids, result) = try self.recovery.recount(writer.name)
        self.writer = result.writer
        self.inspector = result.inspector
        self.gtids = gtids
        self.index.files[entryIndex] = entry
        try self.saveIndex()
        self.logger.debug(
            "cut back to the server's copy",
            metadata: ["file": "\(writer.location)", "reason": "\(reason)"]
        )
        self.report(.truncated(file: entry.name, from: from, to: result.writer.size))
    }

    /// Flushes the current file, optionally syncs it, and saves the index when it changed.
    func finishWrites(sync: Bool = true) throws {
        if let writer = self.writer {
            if sync { try writer.sync() } else { try writer.flush() }
        }
        if self.isIndexDirty { try self.saveIndex() }
    }

    private func saveIndex() throws {
        // The index must never record bytes that a crash could still lose: the data goes to disk first.
        try self.writer?.sync()
        if let entryIndex = self.entryIndex, !self.gtids.isEmpty {
            self.index.files[entryIndex].gtidSet = self.gtids.description
        }
        try self.beforeIndexSave?(self.index, self.writer?.durableSize)
        try self.store.save(self.index)
        self.isIndexDirty = false
        self.lastIndexSave = self.clock.now()
    }
}
