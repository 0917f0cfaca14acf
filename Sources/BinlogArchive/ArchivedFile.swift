import BinlogFormat
import Foundation

/// One binlog file in an archive, as the index describes it.
public struct ArchivedFile: Codable, Hashable, Sendable {
    /// Whether the server has finished the file.
    public enum State: String, Codable, Hashable, Sendable {
        /// The server may still write to it (the archive holds a prefix of it, ending at a whole event).
        case open
        /// The archive holds the whole file.
        case complete
        /// The server purged it before the archive had all of it: ``ArchivedFile/size`` bytes are archived.
        case incomplete
    }

    /// The server's file name, e.g. `mysql-bin.000042`; the archive's copy has the same name.
    public var name: String
    /// Bytes archived: the file offset after the last whole event.
    public var size: UInt64
    public var state: State
    /// How the file ended: `rotate`, `stop` (a server shutdown), or `server moved on` (no closing event: the server
    /// crashed, or the file was opened again elsewhere).
    public var ending: String?
    /// Events in the archived bytes, the magic excluded.
    public var events: UInt64 = 0
    /// Transactions in the archived bytes (an open one included), as `rewind binlog stats` counts them: grouped by
    /// ``TransactionTracker``, with or without GTIDs.
    public var transactions: UInt64 = 0
    /// The timestamps of the first and the last event (seconds since the epoch; 0 if none).
    public var firstEventTime: Date?
    public var lastEventTime: Date?
    public var firstGTID: String?
    public var lastGTID: String?
    /// The GTIDs of the file's transactions (MySQL: a GTID set; MariaDB: the last sequence per domain and server).
    public var gtidSet: String?

    public init(name: String, size: UInt64 = 4, state: State = .open) {
        self.name = name
        self.size = size
        self.state = state
    }

    /// Counts one archived event, as the inspector saw it.
    mutating func record(_ inspection: ArchiveEventInspector.Inspection, gtids: inout GTIDSet) {
        let header = inspection.header
        self.events += 1
        self.transactions = inspection.transactions
        if header.timestamp != 0 {
            let time = Date(timeIntervalSince1970: TimeInterval(header.timestamp))
            if self.firstEventTime == nil { self.firstEventTime = time }
            self.lastEventTime = time
        }
        if let gtid = inspection.gtid {
            let text = gtid.description
            if self.firstGTID == nil { self.firstGTID = text }
            self.lastGTID = text
            gtids.insert(gtid)  // the text form goes into gtidSet when the index is saved
        }
    }
}
