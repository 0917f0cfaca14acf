import BinlogFormat
import NIOCore

/// Checks each event before it is archived and pulls out what the index and the archiver need.
///
/// Only the events that matter here are decoded: FORMAT_DESCRIPTION, ROTATE, the GTID events, and those whose body
/// ``TransactionTracker`` reads to delimit transactions (QUERY, XID, …); the rest (rows, table maps) are checked
/// against their CRC32 trailer and copied as they are. Transactions are counted by the tracker, as `rewind binlog
/// stats` counts them, with or without GTIDs.
struct ArchiveEventInspector {
    struct Inspection {
        var header: BinlogEventHeader
        var gtid: GTID?
        var rotate: RotateEvent?
        /// Transactions of the file up to this event, an open one included (as `rewind binlog stats` counts them).
        var transactions: UInt64 = 0
        var isFormatDescription: Bool { self.header.type == .formatDescription }
        /// ROTATE and STOP end a file.
        var endsFile: Bool { self.header.type == .rotate || self.header.type == .stop }
    }

    private var decoder: BinlogEventDecoder
    private var tracker = Self.newTracker()
    /// Transactions of the file the tracker has closed.
    private var closedTransactions: UInt64 = 0
    let verifiesChecksums: Bool

    init(verifiesChecksums: Bool = true) {
        self.verifiesChecksums = verifiesChecksums
        self.decoder = BinlogEventDecoder(context: BinlogDecodingContext(verifiesChecksums: verifiesChecksums))
    }

    /// Whether the current file's events carry CRC32 trailers (from its FORMAT_DESCRIPTION).
    var hasChecksums: Bool { self.decoder.context.formatDescription.checksumAlgorithm == .crc32 }

    /// Starts over for another file (its FORMAT_DESCRIPTION comes next).
    mutating func reset(checksums: Bool? = nil) {
        var context = BinlogDecodingContext(verifiesChecksums: self.verifiesChecksums)
        if let checksums { context.formatDescription.checksumAlgorithm = checksums ? .crc32 : .off }
        self.decoder = BinlogEventDecoder(context: context)
        self.tracker = Self.newTracker()
        self.closedTransactions = 0
    }

    /// Counts groups only: no rows, no statement text.
    private static func newTracker() -> TransactionTracker {
        TransactionTracker(countsRows: false, maximumStatementLength: 0)
    }

    /// Whether events of `type` are decoded here (FORMAT_DESCRIPTION, ROTATE, the GTID events): they must be
    /// checked whole, and are short.
    static func decodes(_ type: BinlogEventType) -> Bool {
        switch type {
        case .formatDescription, .rotate, .gtid, .gtidTagged, .mariadbGTID: true
        default: false
        }
    }

    /// Events whose body counts transactions (QUERY, XID, …) are checked whole up to this size; a longer one (a
    /// statement of millions of characters) is checked as its bytes pass and counted without its body.
    static let wholeBodyLimit = 16 << 20

    /// Whether an event is checked whole (``inspect(_:position:)``): the kinds decoded here, and those whose body
    /// counts transactions up to ``wholeBodyLimit``. The others can be checked as their bytes pass
    /// (``inspect(header:checksum:)``), however long they are.
    static func checksWhole(_ header: BinlogEventHeader) -> Bool {
        Self.decodes(header.type)
            || (TransactionTracker.readsBody(of: header.type) && Int(header.eventSize) <= Self.wholeBodyLimit)
    }

    /// Checks an event that was not held whole, from the CRC32 computed over its bytes as they passed, and counts
    /// it (without its body).
    ///
    /// - Throws: ``ArchiveError`` for a bad checksum.
    mutating func inspect(header: BinlogEventHeader, checksum: RunningEventChecksum) throws -> Inspection {
        precondition(!Self.decodes(header.type), "\(header.type) events are inspected whole")
        if self.verifiesChecksums, self.hasChecksums { try Self.check(checksum.outcome, header: header) }
        var inspection = Inspection(header: header)
        let record = BinlogEventRecord(
            position: 0,
            header: header,
            event: .unknown(header.type, ByteBuffer()),
            checksum: nil
        )
        self.count(record, into: &inspection)
        return inspection
    }

    /// Checks `event` (one whole event as the file holds it) at `position` of its file.
    ///
    /// - Throws: ``ArchiveError`` naming the reason (bad checksum, malformed event); the caller adds file and offset.
    mutating func inspect(_ event: ByteBuffer, position: UInt64) throws -> Inspection {
        guard let header = BinlogEventHeader(peekingAt: event) else {
            throw ArchiveError("an event of \(event.readableBytes) bytes is shorter than its header")
        }
        guard Int(header.eventSize) == event.readableBytes else {
            throw ArchiveError("event_size says \(header.eventSize) bytes but the event has \(event.readableBytes)")
        }
        var inspection = Inspection(header: header)
        var record = BinlogEventRecord(
            position: position,
            header: header,
            event: .unknown(header.type, event),
            checksum: nil
        )
        switch header.type {
        case .formatDescription, .rotate, .gtid, .gtidTagged, .mariadbGTID:
            do {
                record = try self.decoder.decode(event, position: position)
            } catch let error as BinlogDecodingError {
                throw ArchiveError("\(header.type) event does not decode: \(error.reason)")
            }
            switch record.event {
            case .rotate(let rotate): inspection.rotate = rotate
            case .gtid(let gtid): inspection.gtid = gtid.gtid
            case .mariadbGTID(let gtid): inspection.gtid = gtid.gtid
            default: break
            }
        case _ where TransactionTracker.readsBody(of: header.type):
            try self.verifyChecksum(event, header: header)
            // Decoded for counting only: an event this reader cannot decode is still archived as it is.
            if let decoded = try? self.decoder.decode(event, position: position) { record = decoded }
        default:
            try self.verifyChecksum(event, header: header)
        }
        self.count(record, into: &inspection)
        return inspection
    }

    /// Feeds the transaction tracker and notes the file's transactions so far in `inspection`.
    private mutating func count(_ record: BinlogEventRecord, into inspection: inout Inspection) {
        // With countsRows off the tracker decodes nothing itself; an error would only be a bug there, and never
        // stops the archive.
        let closed = (try? self.tracker.observe(record, context: self.decoder.context).count) ?? 0
        self.closedTransactions += UInt64(closed)
        inspection.transactions = self.closedTransactions + (self.tracker.hasOpenTransaction ? 1 : 0)
    }

    private func verifyChecksum(_ event: ByteBuffer, header: BinlogEventHeader) throws {
        guard self.verifiesChecksums, self.hasChecksums else { return }
        try Self.check(BinlogChecksum.verify(event: event), header: header)
    }

    private static func check(_ outcome: BinlogChecksum.Outcome, header: BinlogEventHeader) throws {
        switch outcome {
        case .valid: break
        case .tooShort:
            throw ArchiveError("\(header.type) event of \(header.eventSize) bytes has no room for its CRC32")
        case .mismatch(let stored, let computed):
            throw ArchiveError(
                "\(header.type) event: stored CRC32 0x\(String(stored, radix: 16)) but its bytes give "
                    + "0x\(String(computed, radix: 16)); the data was damaged on the way or on the server's disk"
            )
        }
    }
}
