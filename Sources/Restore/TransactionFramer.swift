import BinlogFormat

/// Splits the event stream into transactions for a restore, with the positions and identity a restore needs, in
/// constant memory. Where a transaction begins and ends is ``TransactionBoundary``'s to say (as for `binlog stats`,
/// the timeline and the archive index); on top of it a restore leaves out the events of a transaction whose start
/// came before its first position (the boundary's ``TransactionBoundary/Opening/partway`` groups).
struct TransactionFramer: Sendable {
    /// A transaction being read.
    struct Open: Hashable, Sendable {
        var start: ChainPosition
        var gtid: GTID?
        /// Whether `BEGIN` was seen (or a MariaDB GTID said the group is transactional).
        var transactional: Bool
        /// The latest event timestamp (seconds): the commit time at the binlog's resolution.
        var lastTimestamp: UInt32
        /// MySQL 8's commit timestamp in microseconds.
        var commitMicros: UInt64?

        /// The transaction as `rewind timeline` names it: its GTID, or `FILE:POS` where it starts.
        func id(fileNames: [String]) -> String {
            self.gtid.map(\.description) ?? "\(fileNames[self.start.file]):\(self.start.offset)"
        }
    }

    /// What an event is to the transaction framing.
    enum Role: Hashable, Sendable {
        /// Outside any transaction (format description, rotate, GTID lists, checkpoints).
        case outside
        /// Opens a transaction (GTID, `BEGIN`); part of it.
        case opens
        /// Inside the open transaction.
        case inside
        /// Closes the open transaction (XID, `COMMIT`, `ROLLBACK`, or a statement after a GTID); part of it.
        case closes
        /// A statement outside any transaction and without a GTID before it: a transaction by itself.
        case single
    }

    private(set) var current: Open?
    private var boundary = TransactionBoundary()

    /// Classifies `record` at `position`; afterwards ``current`` is the transaction it belongs to (for `.closes`,
    /// until the next call).
    mutating func observe(_ record: BinlogEventRecord, at position: ChainPosition) -> Role {
        switch self.boundary.observe(record.event) {
        case .outside:
            return .outside
        case .opens(.partway, _):
            // Events of a transaction whose start came before the restore's first position: not part of anything
            // this restore applies.
            self.current = nil
            return .outside
        case .opens:
            var commitMicros: UInt64?
            if case .gtid(let event) = record.event { commitMicros = event.originalCommitTimestamp }
            self.current = Open(
                start: position, gtid: self.boundary.gtid, transactional: self.boundary.isTransactional,
                lastTimestamp: record.header.timestamp, commitMicros: commitMicros)
            return .opens
        case .inside:
            guard self.current != nil else { return .outside }
            self.current?.transactional = self.boundary.isTransactional
            self.touch(record)
            return .inside
        case .closes(let ending):
            guard self.current != nil else {
                // A statement after events whose transaction started before the restore: one by itself.
                return ending == .statement ? self.single(record, at: position) : .outside
            }
            self.touch(record)
            return .closes
        case .single(.statement):
            return self.single(record, at: position)
        case .single:
            return .outside  // the end of a transaction whose start came before the restore's first position
        }
    }

    private mutating func single(_ record: BinlogEventRecord, at position: ChainPosition) -> Role {
        self.current = Open(
            start: position, gtid: nil, transactional: false, lastTimestamp: record.header.timestamp,
            commitMicros: nil)
        return .single
    }

    /// Forgets the open transaction (after its closing event was handled).
    mutating func reset() { self.current = nil }

    private mutating func touch(_ record: BinlogEventRecord) {
        if let open = self.current, record.header.timestamp > open.lastTimestamp {
            self.current?.lastTimestamp = record.header.timestamp
        }
    }
}
