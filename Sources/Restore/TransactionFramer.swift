import BinlogFormat

/// Splits the event stream into transactions for a restore: a GTID event or `BEGIN` opens one; XID, `COMMIT` or
/// `ROLLBACK` closes it; a statement outside `BEGIN` (DDL) is one by itself. The same rules as
/// ``TransactionTracker``, with the positions and identity a restore needs, in constant memory.
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

    /// Classifies `record` at `position`; afterwards ``current`` is the transaction it belongs to (for `.closes`,
    /// until the next call).
    mutating func observe(_ record: BinlogEventRecord, at position: ChainPosition) -> Role {
        switch record.event {
        case .formatDescription, .rotate, .previousGTIDs, .mariadbGTIDList, .mariadbBinlogCheckpoint, .stop,
            .heartbeat, .startV3, .mariadbStartEncryption:
            return .outside
        case .gtid(let event):
            self.current = Open(
                start: position, gtid: event.gtid, transactional: false, lastTimestamp: record.header.timestamp,
                commitMicros: event.originalCommitTimestamp)
            return .opens
        case .mariadbGTID(let event):
            self.current = Open(
                start: position, gtid: event.gtid, transactional: !event.isStandalone,
                lastTimestamp: record.header.timestamp, commitMicros: nil)
            return .opens
        case .query(let query):
            if query.isBegin || query.isXAStart {
                if self.current == nil || self.current?.transactional == true {
                    self.current = Open(
                        start: position, gtid: nil, transactional: true, lastTimestamp: record.header.timestamp,
                        commitMicros: nil)
                    return .opens
                }
                self.current?.transactional = true
                self.touch(record)
                return .inside
            }
            if query.isCommit || query.isRollback {
                self.touch(record)
                return self.current == nil ? .outside : .closes
            }
            if self.current == nil {
                self.current = Open(
                    start: position, gtid: nil, transactional: false, lastTimestamp: record.header.timestamp,
                    commitMicros: nil)
                return .single
            }
            self.touch(record)
            return self.current?.transactional == true ? .inside : .closes
        case .xid, .xaPrepare:
            self.touch(record)
            return self.current == nil ? .outside : .closes
        default:
            if self.current == nil {
                // Events of a transaction whose start came before the restore's first position: not part of
                // anything this restore applies.
                return .outside
            }
            self.touch(record)
            return .inside
        }
    }

    /// Forgets the open transaction (after its closing event was handled).
    mutating func reset() { self.current = nil }

    private mutating func touch(_ record: BinlogEventRecord) {
        if let open = self.current, record.header.timestamp > open.lastTimestamp {
            self.current?.lastTimestamp = record.header.timestamp
        }
    }
}
