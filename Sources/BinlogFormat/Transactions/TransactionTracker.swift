/// Groups a stream of events into transactions, one ``TransactionSummary`` per group, in constant memory.
///
/// Where a group begins and ends, and its GTID, is ``TransactionBoundary``'s to say (MySQL and MariaDB, with and
/// without GTIDs); this adds up what each group did. Events inside a TRANSACTION_PAYLOAD are observed too.
public struct TransactionTracker: Sendable {
    private var current: TransactionSummary?
    private var boundary = TransactionBoundary()
    /// Whether rows are counted (this decodes row images; stats want it, a plain timeline may not).
    public var countsRows: Bool
    /// Statement texts longer than this are cut (``TransactionSummary/maximumStatementLength`` by default; a timeline
    /// that prints whole statements raises it).
    public var maximumStatementLength: Int

    public init(countsRows: Bool = true, maximumStatementLength: Int = TransactionSummary.maximumStatementLength) {
        self.countsRows = countsRows
        self.maximumStatementLength = maximumStatementLength
    }

    /// The group in progress, if any.
    public var openTransaction: TransactionSummary? { self.current }
    /// Whether a group is in progress (without copying it).
    public var hasOpenTransaction: Bool { self.current != nil }

    /// Whether the grouping reads what an event of `type` holds. An event of any other type joins the open group or
    /// opens one whatever its body, so it may be observed undecoded (as ``BinlogEvent/unknown(_:_:)``), with the same
    /// groups: the archive counts transactions so, without decoding rows.
    public static func readsBody(of type: BinlogEventType) -> Bool {
        switch type {
        case .formatDescription, .rotate, .previousGTIDs, .mariadbGTIDList, .mariadbBinlogCheckpoint, .stop,
            .heartbeat, .heartbeatV2, .startV3, .mariadbStartEncryption, .gtid, .anonymousGTID, .gtidTagged,
            .mariadbGTID, .query, .mariadbQueryCompressed, .xid, .xaPrepare, .transactionPayload:
            return true
        default:
            return false
        }
    }

    /// Observes one event; returns the summaries of the groups it closes (usually none or one).
    ///
    /// - Parameter context: the decoding state after `record` (for the table maps of ROWS events).
    public mutating func observe(_ record: BinlogEventRecord, context: BinlogDecodingContext) throws
        -> [TransactionSummary]
    {
        var closed: [TransactionSummary] = []
        try self.observe(record, context: context, outerEnd: nil, into: &closed)
        return closed
    }

    /// Closes a group left open at the end of the input.
    public mutating func finish() -> TransactionSummary? {
        guard var open = self.current else { return nil }
        open.ending = .incomplete
        self.current = nil
        self.boundary.reset()
        return open
    }

    private mutating func open(_ record: BinlogEventRecord, gtid: GTID?, commitMicros: UInt64?) {
        self.current = TransactionSummary(
            gtid: gtid, startPosition: record.position, endPosition: record.endPosition,
            firstTimestamp: record.header.timestamp, lastTimestamp: record.header.timestamp,
            commitTimestampMicros: commitMicros, serverID: record.header.serverID, ending: .incomplete, tables: [],
            statements: [], rowsQueries: [], eventCount: 0)
    }

    private mutating func close(_ ending: TransactionSummary.Ending, into closed: inout [TransactionSummary]) {
        guard var done = self.current else { return }
        done.ending = ending
        closed.append(done)
        self.current = nil
    }

    private mutating func observe(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, outerEnd: UInt64?,
        into closed: inout [TransactionSummary]
    ) throws {
        if case .transactionPayload(let payload) = record.event {
            self.touch(record, outerEnd: outerEnd)  // the payload counts in the group already open, if any
            for inner in payload.events {
                try self.observe(inner, context: context, outerEnd: record.endPosition, into: &closed)
            }
            return
        }
        let step = self.boundary.observe(record.event)
        switch step {
        case .outside:
            return
        case .opens(let opening, _):
            if var dangling = self.current {
                dangling.ending = .incomplete
                closed.append(dangling)
            }
            var commitMicros: UInt64?
            if case .gtid(let event) = record.event { commitMicros = event.originalCommitTimestamp }
            var gtid: GTID?
            if case .gtid(let value) = opening { gtid = value }
            self.open(record, gtid: gtid, commitMicros: commitMicros)
        case .single:
            self.open(record, gtid: nil, commitMicros: nil)
        case .inside, .closes:
            // The boundary has a group open, so this has one too (it opens them together).
            if self.current == nil { self.open(record, gtid: nil, commitMicros: nil) }
        }
        self.touch(record, outerEnd: outerEnd)
        switch record.event {
        case .query(let query) where !(query.isBegin || query.isXAStart || query.isCommit || query.isRollback):
            self.current?.statements.append(Array(query.query.prefix(self.maximumStatementLength)))
        case .rowsQuery(let event), .mariadbAnnotateRows(let event):
            self.current?.rowsQueries.append(Array(event.query.prefix(self.maximumStatementLength)))
        case .rows(let rows):
            guard let table = context.tableMap(for: rows) else { break }
            var changes = self.tableChanges(table)
            changes.rowEvents += 1
            if self.countsRows {
                let count = try rows.rowCount(table: table)
                switch rows.kind {
                case .insert: changes.inserted += count
                case .update: changes.updated += count
                case .delete: changes.deleted += count
                }
            }
            self.store(changes)
        default:
            break
        }
        switch step {
        case .closes(let ending), .single(let ending): self.close(ending, into: &closed)
        default: break
        }
    }

    private mutating func touch(_ record: BinlogEventRecord, outerEnd: UInt64?) {
        // In place: a copy of the open group (its arrays) per event is what made this show in profiles.
        guard self.current != nil else { return }
        self.current!.eventCount += 1
        self.current!.endPosition = outerEnd ?? record.endPosition
        self.current!.lastTimestamp = max(self.current!.lastTimestamp, record.header.timestamp)
    }

    private func tableChanges(_ table: TableMapEvent) -> TransactionSummary.TableChanges {
        self.current?.tables.first { $0.database == table.database && $0.table == table.table }
            ?? TransactionSummary.TableChanges(database: table.database, table: table.table)
    }

    private mutating func store(_ changes: TransactionSummary.TableChanges) {
        guard self.current != nil else { return }
        if let index = self.current?.tables.firstIndex(where: {
            $0.database == changes.database && $0.table == changes.table
        }) {
            self.current?.tables[index] = changes
        } else {
            self.current?.tables.append(changes)
        }
    }
}
