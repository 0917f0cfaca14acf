/// The one definition of where a transaction (an event group) begins and ends, and which GTID it has, for MySQL and
/// MariaDB, with and without GTIDs. ``TransactionTracker`` (statistics, timeline, archive index), the event filter
/// of `binlog show` and restore's framing all follow these rules:
///
/// - a GTID event (MySQL GTID / ANONYMOUS_GTID / tagged GTID, MariaDB GTID) opens a group; a MariaDB GTID that is
///   not standalone stands for `BEGIN` too;
/// - `BEGIN` (or `XA START`) opens a group, unless it follows the GTID event of a group that saw no `BEGIN` yet, or
///   comes right after a GTID event (a MariaDB GTID that stood for `BEGIN` already: the `BEGIN` repeats it);
/// - XID, XA_PREPARE, `COMMIT` and `ROLLBACK` close the open group;
/// - any other statement closes a group without `BEGIN` (a DDL after its GTID) and is a group by itself when none
///   is open (an auto-committed statement or DDL without GTIDs);
/// - the events that describe the file (format description, rotate, GTID lists, checkpoints, stop, heartbeats) are
///   outside every group;
/// - any other event joins the open group, or opens one (``Opening/partway``) when none is open: a read that
///   starts inside a transaction.
///
/// A group opened while another is open ends the earlier one unfinished. A TRANSACTION_PAYLOAD is a container:
/// observe the events inside it one by one, as the same events outside one; the payload event itself changes
/// nothing (it is ``Step/inside`` an open group, else ``Step/outside``).
public struct TransactionBoundary: Hashable, Sendable {
    /// How a group was opened.
    public enum Opening: Hashable, Sendable {
        /// By a GTID event (its GTID; `nil` for ANONYMOUS_GTID).
        case gtid(GTID?)
        /// By `BEGIN` or `XA START`, without a GTID event before it.
        case begin
        /// By an event of the group's middle: the read started after the group's first event.
        case partway
        /// By a statement outside any group (it also closes it: ``Step/single(_:)``).
        case statement
    }

    /// What one event is to the grouping.
    public enum Step: Hashable, Sendable {
        /// Not part of any group (file framing).
        case outside
        /// The first event of a group. `endsUnfinished`: a group was open and ends here without its last event.
        case opens(Opening, endsUnfinished: Bool)
        /// Inside the open group.
        case inside
        /// The last event of the open group.
        case closes(TransactionSummary.Ending)
        /// A group of this event alone (a statement outside any group, or a COMMIT/XID whose group was not open).
        /// `endsUnfinished` as for ``opens(_:endsUnfinished:)``: never true, since none was open.
        case single(TransactionSummary.Ending)
    }

    /// The open group's opening, `nil` when none is open.
    public private(set) var opening: Opening?
    /// Whether the open group saw `BEGIN` (or a MariaDB GTID that stands for it).
    public private(set) var isTransactional = false
    /// The GTID of the group the event observed last belongs to (`nil` when it is outside any group, anonymous or
    /// in a group without a GTID event).
    public private(set) var gtid: GTID?

    /// Whether the event observed last was the GTID event that opened the group.
    private var followsGTIDEvent = false

    public init() {}

    /// Whether a group is open after the event observed last.
    public var isOpen: Bool { self.opening != nil }

    /// Observes `event` and returns what it is to the grouping; afterwards ``gtid`` names its group's GTID.
    public mutating func observe(_ event: BinlogEvent) -> Step {
        let followsGTIDEvent = self.followsGTIDEvent
        self.followsGTIDEvent = false
        switch event {
        case .formatDescription, .rotate, .previousGTIDs, .mariadbGTIDList, .mariadbBinlogCheckpoint, .stop,
            .heartbeat, .startV3, .mariadbStartEncryption:
            self.gtid = nil
            return .outside
        case .gtid(let event):
            return self.open(.gtid(event.gtid), gtid: event.gtid, transactional: false)
        case .mariadbGTID(let event):
            return self.open(.gtid(event.gtid), gtid: event.gtid, transactional: !event.isStandalone)
        case .query(let query):
            if query.isBegin || query.isXAStart {
                if case .gtid = self.opening, !self.isTransactional || followsGTIDEvent {
                    self.isTransactional = true
                    return .inside
                }
                return self.open(.begin, gtid: nil, transactional: true)
            }
            if query.isCommit { return self.close(.commit) }
            if query.isRollback { return self.close(.rollback) }
            guard self.isOpen else {
                self.gtid = nil
                return .single(.statement)
            }
            return self.isTransactional ? .inside : self.close(.statement)
        case .transactionPayload:
            return self.isOpen ? .inside : .outside
        case .xid:
            return self.close(.xid)
        case .xaPrepare:
            return self.close(.xaPrepare)
        default:
            guard self.isOpen else { return self.open(.partway, gtid: nil, transactional: false) }
            return .inside
        }
    }

    /// Forgets the open group (the input ended, or a reader starts over).
    public mutating func reset() {
        self = Self()
    }

    private mutating func open(_ opening: Opening, gtid: GTID?, transactional: Bool) -> Step {
        let unfinished = self.isOpen
        self.opening = opening
        self.isTransactional = transactional
        self.gtid = gtid
        if case .gtid = opening { self.followsGTIDEvent = true }
        return .opens(opening, endsUnfinished: unfinished)
    }

    private mutating func close(_ ending: TransactionSummary.Ending) -> Step {
        guard self.isOpen else {
            self.gtid = nil
            return .single(ending)
        }
        // The closing event belongs to the group: ``gtid`` still names it until the next event.
        self.opening = nil
        self.isTransactional = false
        return .closes(ending)
    }
}
