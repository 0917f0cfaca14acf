import BinlogFormat
import MySQLWire
import NIOCore

/// What the archiver does with each event, or chunk of a long event, of a dump stream: pure, no I/O.
///
/// It assembles chunks into events (holding short ones whole, handing long file events on chunk by chunk),
/// steers on artificial events (a ROTATE names the file the events go on in, a heartbeat means caught up), checks
/// that each file event continues the archived file, and says which events a resumed file without checksums
/// compares with the archive instead of writing. ``BinlogArchiver`` executes its actions against the store and
/// tells it the outcome of a comparison.
///
/// The file being written is passed in (its name and archived size) rather than tracked, so the machine cannot
/// drift from the file.
struct ArchiveStreamStateMachine {
    /// The archived file events are appended to: its name and its size once what is buffered is written.
    struct OpenFile: Hashable, Sendable {
        var name: String
        var size: UInt64
        /// Where it is, for errors.
        var location: String
    }

    /// The archive (a directory or `s3://bucket/prefix`), for errors.
    let archive: String

    init(archive: String) {
        self.archive = archive
    }

    /// How an event that arrives in chunks is taken, between its first and last chunk.
    enum IncomingEvent {
        /// Kept until its end, then taken whole: the events the archiver decodes, heartbeats (all short), and those
        /// whose body counts transactions, up to 16 MiB.
        case held(ByteBuffer)
        /// Written to its file as it arrives (or compared with the archive's bytes).
        case streamed(StreamedEvent)
        /// Not archived (an artificial event, a FORMAT_DESCRIPTION repeated by a dump that starts inside a file):
        /// dropped as it arrives.
        case skipped
    }

    /// What to do with a chunk.
    enum ChunkAction: Equatable {
        /// Nothing (a chunk held or dropped).
        case nothing
        /// The chunk completed a whole event: route it (``route(_:file:artificial:)``).
        case whole(ByteBuffer)
        /// Open the file the last ROTATE named (at byte 4), then hand the same chunk again.
        case openNextFile(String)
        /// The next bytes of a long file event: write them at the file's end, or with `comparing`, compare them
        /// with the archive at `offset` (on a difference call ``archiveDiffers()`` and write them). When the chunk
        /// was the event's last, then call ``endStreamedEvent()``.
        case stream(ByteBuffer, offset: UInt64, comparing: Bool)
    }

    /// What to do with a whole event.
    enum EventAction: Equatable {
        /// Not archived (artificial, or a FORMAT_DESCRIPTION a dump repeats).
        case skip
        /// A heartbeat: everything the server had is archived.
        case caughtUp
        /// An artificial ROTATE: the server goes on in `name` at `position` (``fileNamed(_:position:file:)``).
        case rotate(name: String, position: UInt64)
        /// Open the file the last ROTATE named (at byte 4), then route the same event again.
        case openNextFile(String)
        /// Check the event and append it at `offset`, the file's end.
        case append(offset: UInt64)
        /// Compare the event with the archive at `offset`: equal, call ``compared(upTo:file:)``; different, cut the
        /// file back there, call ``archiveDiffers()`` and append it.
        case compare(offset: UInt64)
    }

    /// What to do when the dump names a file (``fileNamed(_:position:file:)``).
    enum FileAction: Equatable {
        /// It is the file being written, at its end (or where its tail is compared): go on.
        case goOn
        /// Another file: complete the one being written (if any), then start this one (``ArchivePlanner``).
        case switchFile
    }

    /// What to do after a file event is in its file (``committed(_:inspection:sinceLastSave:syncInterval:)``).
    struct CommitAction: Equatable {
        /// The file ends (ROTATE: `rotate`; STOP: `stop`): complete it.
        var completeFile: String?
        /// The end of a transaction or statement: make it visible in the file.
        var flush = false
        /// The store's sync interval has passed: make the file durable and save the index.
        var sync = false
    }

    /// The longest event of a kind that is decoded (FORMAT_DESCRIPTION, ROTATE, GTIDs) or steers (heartbeats, STOP):
    /// they are a few hundred bytes long.
    static let heldEventLimit = 1 << 20

    private(set) var incoming: IncomingEvent?
    /// The next file's name from the last ROTATE, for servers that send its events without another artificial ROTATE.
    private(set) var pendingNextFile: String?
    /// For a resumed file without checksums: the dump starts at `from` (an event boundary about 64 KiB before the
    /// archive's end) and the events up to `to`, the end, are compared with the archived bytes instead of trusted.
    var refetch: (from: UInt64, to: UInt64)?
    /// Where the next event the server sends must match the archive (set while comparing, see ``refetch``).
    private(set) var verifyCursor: UInt64?

    /// Takes one event, or one chunk of a long event, of the dump stream.
    ///
    /// - Parameter file: the file being written, if any.
    /// - Throws: `MySQLError` (`protocolViolation`) for chunks out of order or sizes a server does not send;
    ///   ``ArchiveError`` (transient) for an event that does not continue the file.
    mutating func chunk(_ chunk: BinlogEventChunk, file: OpenFile?) throws -> ChunkAction {
        if self.incoming == nil {
            guard chunk.isFirst else {
                throw MySQLError(
                    code: .protocolViolation,
                    reason: "a binlog event chunk arrived without the start of its event"
                )
            }
            if chunk.isWhole { return .whole(chunk.bytes) }
            switch try self.begin(chunk.bytes, file: file) {
            case .openNextFile(let name): return .openNextFile(name)
            case .incoming(let incoming): self.incoming = incoming
            }
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
            if chunk.isLast { return .whole(event) }
            self.incoming = .held(event)
            return .nothing
        case .streamed(var event)?:
            guard event.received + chunk.bytes.readableBytes <= Int(event.header.eventSize) else {
                throw MySQLError(
                    code: .protocolViolation,
                    reason: "the server sent more than the \(event.header.eventSize) bytes of its "
                        + "\(event.header.type) event"
                )
            }
            let offset = event.nextOffset
            self.incoming = nil
            event.add(chunk.bytes)
            self.incoming = .streamed(event)
            return .stream(chunk.bytes, offset: offset, comparing: event.isComparing)
        case .skipped?:
            if chunk.isLast { self.incoming = nil }
            return .nothing
        case nil:
            return .nothing
        }
    }

    private enum Beginning {
        case openNextFile(String)
        case incoming(IncomingEvent)
    }

    /// Takes the first chunk of a long event: decides whether it is held, written as it arrives, or dropped.
    private mutating func begin(_ first: ByteBuffer, file: OpenFile?) throws -> Beginning {
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
            return .incoming(.held(ByteBuffer()))
        case _ where ArchiveEventInspector.checksWhole(header):
            return .incoming(.held(ByteBuffer()))  // its body counts transactions, and it is at most 16 MiB
        default:
            break
        }
        switch try self.target(header, file: file) {
        case .openNextFile(let name):
            return .openNextFile(name)
        case .append(let offset):
            return .incoming(.streamed(StreamedEvent(header: header, start: offset, isComparing: false)))
        case .compare(let offset):
            return .incoming(.streamed(StreamedEvent(header: header, start: offset, isComparing: true)))
        default:
            return .incoming(.skipped)
        }
    }

    /// The long event being streamed is complete: it leaves the machine (compared: ``compared(upTo:file:)``;
    /// written: check its CRC32, then record it, or cut it back off the file).
    mutating func endStreamedEvent() -> StreamedEvent? {
        guard case .streamed(let event)? = self.incoming else { return nil }
        self.incoming = nil
        return event
    }

    /// The stream broke: the event arriving in chunks is dropped; a long one is returned, to be cut back off its
    /// file.
    mutating func abandonIncomingEvent() -> StreamedEvent? {
        defer { self.incoming = nil }
        guard case .streamed(let event)? = self.incoming else { return nil }
        return event
    }

    /// Whether the stream is inside an event (its first chunk came, its last not yet).
    var isInsideEvent: Bool { self.incoming != nil }

    /// Takes one whole event: artificial ones steer, file events are checked against the file.
    ///
    /// - Throws: `MySQLError` for an event shorter than its header; ``ArchiveError`` (transient) for a file event
    ///   before any file is named, or one that does not continue the file.
    mutating func route(
        _ event: ByteBuffer,
        file: OpenFile?,
        artificial: inout ArtificialEventDecoder
    ) throws -> EventAction {
        guard let header = BinlogEventHeader(peekingAt: event) else {
            throw MySQLError(code: .protocolViolation, reason: "a binlog event shorter than its header")
        }
        if header.type == .heartbeat || header.type == .heartbeatV2 { return .caughtUp }
        if header.type == .rotate, header.flags & BinlogEventHeader.flagArtificial != 0 || header.nextPosition == 0 {
            guard let rotate = try artificial.rotate(event) else { return .skip }
            return .rotate(name: rotate.nextFileName, position: rotate.position)
        }
        return try self.target(header, file: file)
    }

    /// Where a file event goes: compared with the archive (a tail fetched again) or appended at the file's end;
    /// `skip` for an event that is not archived; `openNextFile` when no file is open and the last ROTATE named one.
    /// Checks that the event's end position continues the file.
    private func target(_ header: BinlogEventHeader, file: OpenFile?) throws -> EventAction {
        guard let file else {
            // The archive's last file is complete and the server repeats its FORMAT_DESCRIPTION before moving on.
            if header.type == .formatDescription && self.pendingNextFile == nil { return .skip }
            guard let next = self.pendingNextFile else {
                throw ArchiveError(
                    "the server sent a \(header.type) event before naming its file",
                    path: self.archive,
                    isTransient: true
                )
            }
            return .openNextFile(next)
        }
        if header.type == .formatDescription && file.size > 4 {
            return .skip  // a dump that starts inside a file sends the file's FORMAT_DESCRIPTION again
        }
        if header.flags & BinlogEventHeader.flagArtificial != 0 { return .skip }
        if let cursor = self.verifyCursor, cursor < file.size {
            guard header.nextPosition == UInt32(truncatingIfNeeded: cursor + UInt64(header.eventSize)) else {
                throw ArchiveError(
                    "the server sent a \(header.type) event ending at \(header.nextPosition) while the archive was "
                        + "compared at \(cursor); reconnecting",
                    path: file.location,
                    offset: cursor,
                    isTransient: true
                )
            }
            return .compare(offset: cursor)
        }
        guard header.nextPosition == UInt32(truncatingIfNeeded: file.size + UInt64(header.eventSize)) else {
            throw ArchiveError(
                "the server sent a \(header.type) event ending at \(header.nextPosition), but the archived file ends "
                    + "at \(file.size); reconnecting to go on from the archive's end",
                path: file.location,
                offset: file.size,
                isTransient: true
            )
        }
        return .append(offset: file.size)
    }

    /// The dump names file `name` at `position` (an artificial ROTATE).
    ///
    /// - Throws: ``ArchiveError`` (transient) when it resumes the file being written elsewhere than its end.
    mutating func fileNamed(_ name: String, position: UInt64, file: OpenFile?) throws -> FileAction {
        guard let file, file.name == name else {
            self.pendingNextFile = nil
            return .switchFile
        }
        if let refetch = self.refetch, position == refetch.from {
            self.verifyCursor = refetch.from  // compare the events up to the archive's end
            return .goOn
        }
        guard position == file.size else {
            throw ArchiveError(
                "the server resumes \(name) at \(position) but the archived file ends at \(file.size)",
                path: file.location,
                offset: file.size,
                isTransient: true
            )
        }
        return .goOn
    }

    /// The archive's bytes up to `next` equal the server's; comparing ends at the file's end.
    mutating func compared(upTo next: UInt64, file: OpenFile?) {
        self.verifyCursor = next
        if let file, next == file.size { (self.verifyCursor, self.refetch) = (nil, nil) }
    }

    /// The archive's bytes differ from the server's (the file is cut back where they do): the server's are written
    /// from here on. Inside a long event the rest of it is written, and the file counted again at its end.
    mutating func archiveDiffers() {
        (self.verifyCursor, self.refetch) = (nil, nil)
        if case .streamed(var event)? = self.incoming {
            self.incoming = nil
            (event.isComparing, event.replacedArchive) = (false, true)
            self.incoming = .streamed(event)
        }
    }

    /// A file event is in its file, as the inspector saw it: what follows.
    ///
    /// - Parameters:
    ///   - sinceLastSave: how long ago the index was last saved (and the file made durable).
    ///   - syncInterval: the store's ``ArchiveStore/syncInterval``.
    mutating func committed(
        _ header: BinlogEventHeader,
        inspection: ArchiveEventInspector.Inspection,
        sinceLastSave: Duration,
        syncInterval: Duration
    ) -> CommitAction {
        if inspection.endsFile {
            self.pendingNextFile = inspection.rotate?.nextFileName
            return CommitAction(completeFile: header.type == .rotate ? "rotate" : "stop")
        }
        var action = CommitAction()
        switch header.type {
        case .xid, .query, .xaPrepare, .mariadbGTIDList, .previousGTIDs, .incident:
            action.flush = true  // the end of a transaction or statement: make it visible in the file
        default: break
        }
        action.sync = sinceLastSave >= syncInterval
        return action
    }
}
