import BinlogFormat
import Foundation
import Logging
import MySQLWire
import NIOCore
import ObjectStorage

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
    private let options: ArchiveOptions
    private let logger: Logger

    /// Opens the store the options name (a local directory; an S3 prefix is opened by ``run(report:)``; tests pass
    /// their own).
    private var openStore: (ArchiveOptions) throws -> any ArchiveStore
    /// Whether the store was given (tests) rather than named by ``ArchiveOptions/directory``.
    private let hasGivenStore: Bool
    private var store: (any ArchiveStore)!
    private var index = ArchiveIndex()
    private var summary = ArchiveSummary()
    /// The file being appended to, with its entry's position in ``index``.
    private var writer: (any ArchiveFileWriting)?
    private var entryIndex: Int?
    private var gtids = GTIDSet()
    private var inspector: ArchiveEventInspector
    /// The next file's name from the last ROTATE, for servers that send its events without another artificial ROTATE.
    private var pendingNextFile: String?
    /// Files for which a gap was already recorded (so that the ROTATE that follows does not record it again).
    private var gapReportedBefore: Set<String> = []
    private var lastIndexSave = ContinuousClock.now
    private var lastProgress = ContinuousClock.now
    /// The header timestamp of the last archived event, and whether a progress report is owed for it.
    private var lastEventTime: UInt32 = 0
    private var isProgressOwed = false
    private var isIndexDirty = false
    /// The event arriving in chunks, between its first and last chunk.
    private var incoming: IncomingEvent?
    /// For a resumed file without checksums: the dump starts at `from` (an event boundary about 64 KiB before the
    /// archive's end) and the events up to the end are compared with the archived bytes instead of trusted.
    private var refetch: (from: UInt64, to: UInt64)?
    /// Where the next event the server sends must match the archive (set while comparing, see ``refetch``).
    private var verifyCursor: UInt64?
    /// How much of a resumed file without checksums is fetched again and compared.
    static let refetchLength: UInt64 = 64 * 1024
    private var report: (ArchiverEvent) -> Void = { _ in }
    /// Called with the index just before each save, and the durable size of the file being written (tests: check
    /// that the index never runs ahead of the data, or fail here as a crash between the two writes would).
    var beforeIndexSave: ((ArchiveIndex, _ durableSize: UInt64?) throws -> Void)?

    public convenience init(configuration: MySQLConnection.Configuration, options: ArchiveOptions, logger: Logger) {
        self.init(configuration: configuration, options: options, logger: logger, hasGivenStore: false) {
            try ArchiveDirectory(path: $0.directory)
        }
    }

    /// An archiver that keeps its files in the store `openStore` opens.
    init(
        configuration: MySQLConnection.Configuration,
        options: ArchiveOptions,
        logger: Logger,
        hasGivenStore: Bool = true,
        openStore: @escaping (ArchiveOptions) throws -> any ArchiveStore
    ) {
        self.hasGivenStore = hasGivenStore
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.openStore = openStore
        self.inspector = ArchiveEventInspector(verifiesChecksums: options.verifyChecksums)
    }

    /// Archives until the end of the server's binlog (or, with ``ArchiveOptions/follow``, until cancelled).
    ///
    /// - Parameter report: receives progress, file and gap events, on the calling task.
    /// - Returns: What this run archived; ``ArchiveSummary/gaps`` non-empty means the archive is not continuous.
    /// - Throws: ``ArchiveError`` or ``MySQLError`` when archiving cannot go on (after the retries allowed).
    public func run(report: @escaping (ArchiverEvent) -> Void) async throws -> ArchiveSummary {
        guard S3Location.isS3(self.options.directory), !self.hasGivenStore else {
            return try await self.runWithStore(report: report)
        }
        // An S3 prefix: the client lives as long as the run, and the archiver runs on a thread of its own, which
        // the store blocks while each request runs (see ArchiverThread).
        let location = try S3Location(parsing: self.options.directory)
        let configuration = try S3ClientConfiguration.fromEnvironment(
            endpoint: self.options.s3Endpoint,
            addressing: self.options.s3Addressing
        )
        let (uploadInterval, codec) = (self.options.uploadInterval, self.options.s3Codec)
        return try await S3Client.withClient(configuration) { client in
            try await ArchiverThread.run {
                self.openStore = { _ in
                    try S3ArchiveStore(location: location, client: client, uploadInterval: uploadInterval, codec: codec)
                }
                return try await self.runWithStore(report: report)
            }
        }
    }

    private func runWithStore(report: @escaping (ArchiverEvent) -> Void) async throws -> ArchiveSummary {
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

        var attempt = 0
        var resolvedStart: String?
        do {
            while true {
                do {
                    if case .gtid(let set) = self.options.start, self.index.files.isEmpty, resolvedStart == nil {
                        resolvedStart = try await self.resolveGTIDStart(set)
                    }
                    let ended = try await self.streamOnce(startFile: resolvedStart) { attempt = 0 }
                    if ended && !self.options.follow { break }
                    // A follow stream only ends when the server hangs up (e.g. it shuts down): reconnect.
                    throw MySQLError(code: .connectionClosed, reason: "the server ended the binlog stream")
                } catch let error where !(error is CancellationError) && !Task.isCancelled {
                    try self.finishWrites()
                    attempt += 1
                    guard Self.isTransient(error), self.options.maxAttempts.map({ attempt < $0 }) ?? true else {
                        throw error
                    }
                    let delay = self.backoff(attempt: attempt)
                    self.report(.retrying(error: "\(error)", attempt: attempt, retryIn: delay))
                    try await Task.sleep(for: delay)
                }
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
        self.incoming = nil
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
            var sawEvent = false
            do {
                for try await chunk in stream {
                    try self.handle(chunk, artificial: &artificial)
                    if !sawEvent {
                        sawEvent = true
                        onProgress()
                    }
                }
            } catch {
                try self.abandonIncomingEvent()
                throw error
            }
            if self.incoming != nil {
                try self.abandonIncomingEvent()
                if Task.isCancelled { throw CancellationError() }
                throw MySQLError(code: .connectionClosed, reason: "the binlog stream ended inside an event")
            }
            if Task.isCancelled { throw CancellationError() }
            try self.finishWrites()
            if let writer = self.writer {
                self.reportProgress(at: .now, force: true)
                self.report(.caughtUp(file: writer.name, position: writer.size))
            }
            return true
        }
    }

    /// Refuses a server that is not the one the archive holds, and a clashing server id.
    private func checkServer(_ connection: MySQLConnection) async throws {
        let row = try await connection.rows("SELECT @@server_id, VERSION()").first
        let serverID = row?[0].uint64.map { UInt32(truncatingIfNeeded: $0) }
        if let serverID, serverID == self.options.serverID {
            throw ArchiveError(
                "--server-id \(self.options.serverID) is the server's own server_id; pick another one",
                path: self.options.directory
            )
        }
        if let known = self.index.serverID, let serverID, known != serverID {
            throw ArchiveError(
                "this archive holds the binlogs of server_id \(known), but \(self.configuration.endpoint) is "
                    + "server_id \(serverID); archive it into another directory (or S3 prefix)",
                path: self.options.directory
            )
        }
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
        do {
            logs = try await connection.rows("SHOW BINARY LOGS").compactMap { $0[0].string }
        } catch let error as MySQLError where Self.isNoBinaryLogging(error) {
            throw ArchiveError("the server does not write a binary log (log_bin is OFF); see `rewind status`")
        }
        guard let oldest = logs.first else {
            throw ArchiveError("the server lists no binary logs (SHOW BINARY LOGS is empty)")
        }
        if let last = self.index.files.last {
            if logs.contains(last.name) {
                if let refetch = self.refetch, self.writer?.name == last.name, refetch.to == last.size {
                    return (last.name, refetch.from)
                }
                return (last.name, last.size)
            }
            // The server purged the archive's last file: go on with the next one it has, and say what was lost.
            guard let lastName = BinlogFileName(last.name),
                let next = logs.first(where: {
                    BinlogFileName($0).map { $0 > lastName && $0.base == lastName.base } ?? false
                })
            else {
                throw ArchiveError(
                    "the archive ends with \(last.name) but the server's binlogs (\(oldest) … \(logs.last!)) do not "
                        + "follow it: was the binlog reset (RESET MASTER) or is this another server? Archive into a "
                        + "new directory (or S3 prefix)",
                    path: self.options.directory
                )
            }
            let missing = lastName.names(before: BinlogFileName(next)!)
            if last.state != .complete || !missing.isEmpty {
                if last.state == .open, let entryIndex = self.entryIndex {
                    try self.writer?.sync()
                    self.writer = nil
                    self.entryIndex = nil
                    self.index.files[entryIndex].state = .incomplete
                }
                try self.recordGap(
                    ArchiveGap(
                        afterFile: last.name,
                        afterPosition: last.size,
                        missingFiles: missing,
                        resumedAt: next,
                        reason: last.state == .complete
                            ? "the server purged these files before they were archived"
                            : "the server purged \(last.name) before it was archived to its end"
                    )
                )
            }
            return (next, 4)
        }
        switch self.options.start {
        case .oldest:
            return (oldest, 4)
        case .file(let name):
            guard logs.contains(name) else {
                throw ArchiveError(
                    "the server has no binlog \(name); it has \(oldest) … \(logs.last!) (SHOW BINARY LOGS)"
                )
            }
            return (name, 4)
        case .gtid:
            guard let startFile, logs.contains(startFile) else {
                throw ArchiveError("the file holding the --from-gtid position is gone from the server")
            }
            return (startFile, 4)
        }
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

    /// How an event that arrives in chunks is taken, between its first and last chunk.
    private enum IncomingEvent {
        /// Kept until its end, then taken whole: the events the archiver decodes, heartbeats (all short), and those
        /// whose body counts transactions, up to 16 MiB.
        case held(ByteBuffer)
        /// Written to its file as it arrives (or compared with the archive's bytes).
        case streamed(StreamedEvent)
        /// Not archived (an artificial event, a FORMAT_DESCRIPTION repeated by a dump that starts inside a file):
        /// dropped as it arrives.
        case skipped
    }

    /// The longest event of a kind that is decoded (FORMAT_DESCRIPTION, ROTATE, GTIDs) or steers (heartbeats, STOP):
    /// they are a few hundred bytes long.
    static let heldEventLimit = 1 << 20

    /// Takes one whole event of the dump stream.
    func handle(_ event: ByteBuffer, artificial: inout ArtificialEventDecoder) throws {
        try self.handle(BinlogEventChunk(wholeEvent: event), artificial: &artificial)
    }

    /// Takes one event, or one chunk of a long event, of the dump stream: artificial events steer, file events are
    /// checked and written. A long file event goes to its file chunk by chunk, its CRC32 computed on the way and
    /// checked at its end, so memory does not grow with its size; a bad one is cut back off the file.
    func handle(_ chunk: BinlogEventChunk, artificial: inout ArtificialEventDecoder) throws {
        if self.incoming == nil {
            guard chunk.isFirst else {
                throw MySQLError(
                    code: .protocolViolation,
                    reason: "a binlog event chunk arrived without the start of its event"
                )
            }
            if chunk.isWhole { return try self.handleWhole(chunk.bytes, artificial: &artificial) }
            self.incoming = try self.begin(chunk.bytes)
        } else if chunk.isFirst {
            throw MySQLError(code: .protocolViolation, reason: "a binlog event began before the previous one ended")
        }
        switch self.incoming {
        case .held(var event)?:
            self.incoming = nil  // `event` is the only reference: appending does not copy it
            guard event.readableBytes + chunk.bytes.readableBytes <= ArchiveEventInspector.wholeBodyLimit else {
                throw MySQLError(
                    code: .protocolViolation,
                    reason: "the server sent more bytes than the event it announced, over "
                        + "\(ArchiveEventInspector.wholeBodyLimit)"
                )
            }
            var bytes = chunk.bytes
            event.writeBuffer(&bytes)
            if chunk.isLast { return try self.handleWhole(event, artificial: &artificial) }
            self.incoming = .held(event)
        case .streamed(var event)?:
            try self.add(chunk.bytes, to: &event)
            self.incoming = .streamed(event)
            if chunk.isLast {
                self.incoming = nil
                try self.finish(event)
            }
        case .skipped?:
            if chunk.isLast { self.incoming = nil }
        case nil:
            break
        }
    }

    /// Takes the first chunk of a long event: decides whether it is held, written as it arrives, or dropped.
    private func begin(_ first: ByteBuffer) throws -> IncomingEvent {
        guard let header = BinlogEventHeader(peekingAt: first) else {
            throw MySQLError(code: .protocolViolation, reason: "a binlog event shorter than its header")
        }
        switch header.type {
        case .heartbeat, .heartbeatV2, .stop,
            _ where ArchiveEventInspector.decodes(header.type):
            // Short kinds: an announced size over the limit is refused before anything is held.
            guard Int(header.eventSize) <= Self.heldEventLimit else {
                throw MySQLError(
                    code: .protocolViolation,
                    reason: "the server announced a \(header.type) event of \(header.eventSize) bytes, a kind that is "
                        + "a few hundred bytes long; is this a MySQL server?"
                )
            }
            return .held(ByteBuffer())
        case _ where ArchiveEventInspector.checksWhole(header):
            return .held(ByteBuffer())  // its body counts transactions, and it is at most 16 MiB
        default:
            break
        }
        guard let target = try self.fileEventTarget(header) else { return .skipped }
        return .streamed(StreamedEvent(header: header, start: target.offset, isComparing: target.isComparing))
    }

    /// Takes one whole event: artificial ones steer, file events are checked, then written.
    private func handleWhole(_ event: ByteBuffer, artificial: inout ArtificialEventDecoder) throws {
        guard let header = BinlogEventHeader(peekingAt: event) else {
            throw MySQLError(code: .protocolViolation, reason: "a binlog event shorter than its header")
        }
        if header.type == .heartbeat || header.type == .heartbeatV2 {
            try self.finishWrites(sync: false)
            self.reportProgress(at: .now, force: true)
            if let writer = self.writer { self.report(.caughtUp(file: writer.name, position: writer.size)) }
            return
        }
        if header.type == .rotate, header.flags & BinlogEventHeader.flagArtificial != 0 || header.nextPosition == 0 {
            guard let rotate = try artificial.rotate(event) else { return }
            try self.switchFile(to: rotate.nextFileName, position: rotate.position)
            return
        }
        guard let target = try self.fileEventTarget(header), let current = self.writer else { return }
        if target.isComparing {
            if try current.holds(event, at: target.offset) {
                self.compared(upTo: target.offset + UInt64(header.eventSize))
                return
            }
            // The archived bytes are not the server's: cut back to this event and take the server's from here.
            try self.cutBack(
                to: target.offset,
                reason: "its \(header.type) event at byte \(target.offset) differs from the server's"
            )
            (self.verifyCursor, self.refetch) = (nil, nil)
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

    /// Where a file event goes: compared with the archive at `offset` (a tail fetched again) or appended at
    /// `offset` (the file's end); `nil` for an event that is not archived. Starts the file the last ROTATE named
    /// when none is open, and checks that the event's end position continues the file.
    private func fileEventTarget(_ header: BinlogEventHeader) throws -> (offset: UInt64, isComparing: Bool)? {
        if self.writer == nil {
            // The archive's last file is complete and the server repeats its FORMAT_DESCRIPTION before moving on.
            if header.type == .formatDescription && self.pendingNextFile == nil { return nil }
            guard let next = self.pendingNextFile else {
                throw ArchiveError(
                    "the server sent a \(header.type) event before naming its file",
                    path: self.options.directory,
                    isTransient: true
                )
            }
            try self.switchFile(to: next, position: 4)
        }
        guard let current = self.writer, self.entryIndex != nil else { return nil }
        if header.type == .formatDescription && current.size > 4 {
            return nil  // a dump that starts inside a file sends the file's FORMAT_DESCRIPTION again
        }
        if header.flags & BinlogEventHeader.flagArtificial != 0 {
            self.logger.debug("skipped an artificial event", metadata: ["binlog.event_type": "\(header.type)"])
            return nil
        }
        if let cursor = self.verifyCursor, cursor < current.size {
            guard header.nextPosition == UInt32(truncatingIfNeeded: cursor + UInt64(header.eventSize)) else {
                throw ArchiveError(
                    "the server sent a \(header.type) event ending at \(header.nextPosition) while the archive was "
                        + "compared at \(cursor); reconnecting",
                    path: current.location,
                    offset: cursor,
                    isTransient: true
                )
            }
            return (cursor, true)
        }
        let position = current.size
        guard header.nextPosition == UInt32(truncatingIfNeeded: position + UInt64(header.eventSize)) else {
            throw ArchiveError(
                "the server sent a \(header.type) event ending at \(header.nextPosition), but the archived file ends "
                    + "at \(position); reconnecting to go on from the archive's end",
                path: current.location,
                offset: position,
                isTransient: true
            )
        }
        return (position, false)
    }

    /// The archive's bytes up to `next` equal the server's.
    private func compared(upTo next: UInt64) {
        self.verifyCursor = next
        if next == self.writer?.size { (self.verifyCursor, self.refetch) = (nil, nil) }
    }

    /// Writes (or compares) the next bytes of a long event.
    private func add(_ bytes: ByteBuffer, to event: inout StreamedEvent) throws {
        guard let writer = self.writer else {
            throw ArchiveError("no archived file is open for the event", path: self.options.directory)
        }
        guard event.received + bytes.readableBytes <= Int(event.header.eventSize) else {
            throw MySQLError(
                code: .protocolViolation,
                reason: "the server sent more than the \(event.header.eventSize) bytes of its \(event.header.type) "
                    + "event"
            )
        }
        if event.isComparing {
            if try writer.holds(bytes, at: event.nextOffset) {
                event.add(bytes)
                return
            }
            // The archived bytes differ from here on: keep those that matched, write the server's from here.
            try writer.cut(to: event.nextOffset)
            (event.isComparing, event.replacedArchive) = (false, true)
            (self.verifyCursor, self.refetch) = (nil, nil)
        }
        try writer.append(bytes)
        event.add(bytes)
        self.reportProgress(at: ContinuousClock.now)
    }

    /// Ends a long event: checks its CRC32 and records it, or cuts it back off the file.
    private func finish(_ event: StreamedEvent) throws {
        if event.isComparing { return self.compared(upTo: event.end) }
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
        guard case .streamed(let event)? = self.incoming else {
            self.incoming = nil
            return
        }
        self.incoming = nil
        try self.cutOff(event)
        self.logger.debug(
            "cut off an event the stream broke inside",
            metadata: ["binlog.position": "\(event.start)", "binlog.received": "\(event.received)"]
        )
    }

    /// Records a file event that is now in its file: the index entry, the counts, a flush at the end of a
    /// transaction, progress; a ROTATE or STOP completes the file.
    private func commit(_ header: BinlogEventHeader, _ inspection: ArchiveEventInspector.Inspection) throws {
        guard let writer = self.writer, let entryIndex = self.entryIndex else { return }
        self.index.files[entryIndex].record(inspection, gtids: &self.gtids)
        self.index.files[entryIndex].size = writer.size
        self.summary.bytesArchived += UInt64(header.eventSize)
        self.isIndexDirty = true
        self.lastEventTime = header.timestamp
        self.isProgressOwed = true

        if inspection.endsFile {
            self.pendingNextFile = inspection.rotate?.nextFileName
            try self.completeCurrentFile(ending: header.type == .rotate ? "rotate" : "stop")
            return
        }
        switch header.type {
        case .xid, .query, .xaPrepare, .mariadbGTIDList, .previousGTIDs, .incident:
            try writer.flush()  // the end of a transaction or statement: make it visible in the file
        default: break
        }
        let now = ContinuousClock.now
        if now - self.lastIndexSave >= self.store.syncInterval { try self.finishWrites(sync: true) }
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

    /// The server goes on in `name` at `position` (an artificial ROTATE).
    private func switchFile(to name: String, position: UInt64) throws {
        if let writer = self.writer, writer.name == name {
            if let refetch = self.refetch, position == refetch.from {
                self.verifyCursor = refetch.from  // compare the events up to the archive's end
                return
            }
            guard position == writer.size else {
                throw ArchiveError(
                    "the server resumes \(name) at \(position) but the archived file ends at \(writer.size)",
                    path: writer.location,
                    offset: writer.size,
                    isTransient: true
                )
            }
            return
        }
        if self.writer != nil {
            // The file ended without ROTATE or STOP (the server crashed, then started a new file).
            try self.completeCurrentFile(ending: "server moved on", clearInUseFlag: false)
        }
        self.pendingNextFile = nil
        if let existing = self.index.file(named: name) {
            // A dump that starts at the end of the archive's last, complete file names that file first.
            if existing.name == self.index.files.last?.name, existing.state != .open, position == existing.size {
                return
            }
            throw ArchiveError(
                "the server sends \(name) again but the archive already has it (\(existing.state), \(existing.size) "
                    + "bytes): was the binlog reset (RESET MASTER)? Archive into a new directory (or S3 prefix)",
                path: self.store.location(of: name)
            )
        }
        if let last = self.index.files.last, let lastName = BinlogFileName(last.name),
            let newName = BinlogFileName(name), !self.gapReportedBefore.contains(name)
        {
            guard newName > lastName, newName.base == lastName.base else {
                throw ArchiveError(
                    "the server goes on with \(name), which does not follow the archive's \(last.name): was the binlog "
                        + "reset (RESET MASTER)? Archive into a new directory (or S3 prefix)",
                    path: self.options.directory
                )
            }
            let missing = lastName.names(before: newName)
            if !missing.isEmpty {
                try self.recordGap(
                    ArchiveGap(
                        afterFile: last.name,
                        afterPosition: last.size,
                        missingFiles: missing,
                        resumedAt: name,
                        reason: "the server purged these files before they were archived"
                    )
                )
            }
        }
        guard position == 4 else {
            throw ArchiveError(
                "the server starts \(name) at byte \(position); the archive keeps whole files and needs it from byte 4",
                path: self.store.location(of: name)
            )
        }
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

    /// Brings the index in line with the files: re-reads the tail of the last open file (cutting off a partial
    /// event), and adopts files that exist on disk after the index's last entry (an archiver killed before it saved).
    private func recoverFiles() throws {
        let known = Set(self.index.files.map(\.name))
        let lastKnown = self.index.files.last.flatMap { BinlogFileName($0.name) }
        for name in try self.store.binlogFileNames() where !known.contains(name) {
            guard let parsed = BinlogFileName(name), lastKnown.map({ parsed > $0 }) ?? true else { continue }
            self.index.files.append(ArchivedFile(name: name))
        }
        for position in self.index.files.indices where self.index.files[position].state == .open {
            let isLast = position == self.index.files.count - 1
            var entry = self.index.files[position]
            let path = self.store.location(of: entry.name)
            // Every event of the file is checked again (the index's size says nothing about the bytes: a flipped
            // byte or zeroed tail keeps the size), and the entry is counted again from what is really there.
            entry = ArchivedFile(name: entry.name)
            var gtids = GTIDSet()
            var recentOffsets: [UInt64] = []  // event starts near the end (for a file without checksums)
            let verify = self.options.verifyChecksums
            let result = try self.store.resumeFile(named: entry.name, from: 4, verifyChecksums: verify) {
                inspection,
                offset in
                entry.record(inspection, gtids: &gtids)
                entry.size = offset + UInt64(inspection.header.eventSize)
                if !inspection.isFormatDescription { recentOffsets.append(offset) }
                if recentOffsets.count > 8192 { recentOffsets.removeFirst(4096) }  // ≥ 4096 events ≥ 77 KiB remain
            }
            entry.size = result.writer.size
            if !gtids.isEmpty { entry.gtidSet = gtids.description }
            if let (from, to) = result.truncated {
                self.logger.warning(
                    "cut off a partial trailing event",
                    metadata: ["file": "\(path)", "from": "\(from)", "to": "\(to)"]
                )
                self.report(.truncated(file: entry.name, from: from, to: to))
            }
            if let ending = result.endedWith {
                try result.writer.complete()
                entry.state = .complete
                entry.ending = ending == .rotate ? "rotate" : "stop"
                try result.writer.seal(entry, index: self.index)
            } else if isLast {
                self.writer = result.writer
                self.entryIndex = position
                self.gtids = gtids
                self.inspector = result.inspector  // it has seen the file's FORMAT_DESCRIPTION
                let size = result.writer.size
                if !result.inspector.hasChecksums || !self.options.verifyChecksums,
                    let from = recentOffsets.last(where: { $0 + Self.refetchLength <= size }) ?? recentOffsets.first
                {
                    // No CRC32 vouches for the tail: fetch its last 64 KiB again and compare.
                    self.refetch = (from, size)
                }
            } else {
                // An older file left open (the server moved on while the archiver was down): it is what it is.
                try result.writer.sync()
                entry.state = .complete
                entry.ending = "server moved on"
                try result.writer.seal(entry, index: self.index)
            }
            self.index.files[position] = entry
        }
    }

    /// Cuts the file being written back to `offset` (an event boundary) and counts its entry again from the file.
    private func cutBack(to offset: UInt64, reason: String) throws {
        guard let writer = self.writer, let entryIndex = self.entryIndex else { return }
        let from = writer.size
        try writer.cut(to: offset)
        self.writer = nil
        var entry = ArchivedFile(name: writer.name)
        var gtids = GTIDSet()
        let verify = self.options.verifyChecksums
        let result = try self.store.resumeFile(named: writer.name, from: 4, verifyChecksums: verify) {
            inspection,
            _ in
            entry.record(inspection, gtids: &gtids)
        }
        entry.size = result.writer.size
        if !gtids.isEmpty { entry.gtidSet = gtids.description }
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
        self.lastIndexSave = ContinuousClock.now
    }

    // MARK: - Retries

    /// Server errors a retry can get past: the dump failed (a file rotated or purged under it), the server shut down
    /// or the query or connection was killed, the connection was lost.
    static let transientServerErrors: Set<UInt16> = [
        ServerErrorCode.binlogDumpFailed, ServerErrorCode.serverShutdown, ServerErrorCode.queryInterrupted,
        ServerErrorCode.connectionKilled, ServerErrorCode.serverGone, ServerErrorCode.serverLost,
    ]

    /// Whether the server said binary logging is off.
    static func isNoBinaryLogging(_ error: MySQLError) -> Bool {
        error.serverError?.code == ServerErrorCode.noBinaryLogging
    }

    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as MySQLError:
            switch error.code {
            case .connectionFailed, .connectionClosed, .timeout, .protocolViolation: return true
            case .server:
                // 1236: the server could not read its binlog for us (e.g. a file purged meanwhile): look again.
                // 1927/1053/1317/2013-like: the server is shutting down or killed our session.
                return Self.transientServerErrors.contains(error.serverError?.code ?? 0)
            default: return false
            }
        case let error as ArchiveError:
            return error.isTransient
        case let error as S3Error:
            return error.isRetryable
        default:
            return false
        }
    }

    private func backoff(attempt: Int) -> Duration {
        let base = Duration.milliseconds(250) * (1 << min(attempt - 1, 16))
        return min(base, self.options.maxBackoff)
    }
}
