/// Groups a stream of events into transactions, one ``TransactionSummary`` per group, in constant memory.
///
/// Rules (MySQL and MariaDB): a GTID / ANONYMOUS_GTID / MariaDB GTID event or a `BEGIN` query opens a group;
/// an XID, a `COMMIT`/`ROLLBACK` query or XA_PREPARE closes it; a query outside `BEGIN` (DDL, or an
/// auto-committed statement) is a group by itself. Events inside a TRANSACTION_PAYLOAD are observed too.
public struct TransactionTracker: Sendable {
    private var current: TransactionSummary?
    private var sawBegin = false
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
        self.sawBegin = false
        return open
    }

    private mutating func open(
        _ record: BinlogEventRecord, gtid: GTID?, commitMicros: UInt64?, into closed: inout [TransactionSummary]
    ) {
        if let dangling = self.finish() { closed.append(dangling) }
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
        self.sawBegin = false
    }

    private mutating func observe(
        _ record: BinlogEventRecord, context: BinlogDecodingContext, outerEnd: UInt64?,
        into closed: inout [TransactionSummary]
    ) throws {
        switch record.event {
        case .gtid(let event):
            self.open(record, gtid: event.gtid, commitMicros: event.originalCommitTimestamp, into: &closed)
        case .mariadbGTID(let event):
            self.open(record, gtid: event.gtid, commitMicros: nil, into: &closed)
            // A standalone group (DDL) has no BEGIN; a transactional one behaves as if BEGIN was seen.
            self.sawBegin = !event.isStandalone
        case .formatDescription, .rotate, .previousGTIDs, .mariadbGTIDList, .mariadbBinlogCheckpoint, .stop,
            .heartbeat, .startV3, .mariadbStartEncryption:
            return
        default:
            break
        }
        if case .gtid = record.event {
            self.touch(record, outerEnd: outerEnd)
            return
        }
        if case .mariadbGTID = record.event {
            self.touch(record, outerEnd: outerEnd)
            return
        }
        switch record.event {
        case .query(let query):
            if query.isBegin || query.isXAStart {
                if self.current == nil || self.sawBegin {
                    self.open(record, gtid: nil, commitMicros: nil, into: &closed)
                }
                self.sawBegin = true
                self.touch(record, outerEnd: outerEnd)
            } else if query.isCommit {
                self.ensureOpen(record, into: &closed)
                self.touch(record, outerEnd: outerEnd)
                self.close(.commit, into: &closed)
            } else if query.isRollback {
                self.ensureOpen(record, into: &closed)
                self.touch(record, outerEnd: outerEnd)
                self.close(.rollback, into: &closed)
            } else {
                self.ensureOpen(record, into: &closed)
                self.touch(record, outerEnd: outerEnd)
                self.current?.statements.append(Array(query.query.prefix(self.maximumStatementLength)))
                if !self.sawBegin { self.close(.statement, into: &closed) }
            }
        case .xid:
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
            self.close(.xid, into: &closed)
        case .xaPrepare:
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
            self.close(.xaPrepare, into: &closed)
        case .rowsQuery(let event), .mariadbAnnotateRows(let event):
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
            self.current?.rowsQueries.append(Array(event.query.prefix(self.maximumStatementLength)))
        case .rows(let rows):
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
            guard let table = context.tableMap(for: rows) else { return }
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
        case .transactionPayload(let payload):
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
            for inner in payload.events {
                try self.observe(inner, context: context, outerEnd: record.endPosition, into: &closed)
            }
        default:
            self.ensureOpen(record, into: &closed)
            self.touch(record, outerEnd: outerEnd)
        }
    }

    private mutating func ensureOpen(_ record: BinlogEventRecord, into closed: inout [TransactionSummary]) {
        if self.current == nil { self.open(record, gtid: nil, commitMicros: nil, into: &closed) }
    }

    private mutating func touch(_ record: BinlogEventRecord, outerEnd: UInt64?) {
        guard var open = self.current else { return }
        open.eventCount += 1
        open.endPosition = outerEnd ?? record.endPosition
        open.lastTimestamp = max(open.lastTimestamp, record.header.timestamp)
        self.current = open
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
