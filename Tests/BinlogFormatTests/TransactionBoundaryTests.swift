import BinlogFormat
import RewindTestSupport
import Testing

/// ``TransactionBoundary`` and ``TransactionTracker`` on events built byte by byte: where groups begin and end and
/// which GTID they have, with and without GTIDs, MySQL and MariaDB.
@Suite struct TransactionBoundaryTests {
    static func records(_ file: BinlogFileBuilder) throws -> [BinlogEventRecord] {
        let decoded = FixtureDecoding.decode(bytes: file.bytes, keepContexts: true)
        if let error = decoded.error { throw error }
        return decoded.records
    }

    static func steps(_ file: BinlogFileBuilder) throws -> [TransactionBoundary.Step] {
        var boundary = TransactionBoundary()
        return try Self.records(file).map { boundary.observe($0.event) }
    }

    @Test func mysqlWithGTIDs() throws {
        var file = BinlogFileBuilder(flavor: .mysql)
        file.insertTransaction(gtid: 1, tableID: 1, "db", "t", rows: [1, 2])
        file.gtid(sequence: 2)
        file.query("CREATE TABLE db.u (id INT)")
        #expect(
            try Self.steps(file) == [
                .outside,
                .opens(
                    .gtid(.mysql(uuid: UUID16(bytes: BinlogFileBuilder.uuid), tag: nil, sequence: 1)),
                    endsUnfinished: false),
                .inside, .inside, .inside, .closes(.xid),
                .opens(
                    .gtid(.mysql(uuid: UUID16(bytes: BinlogFileBuilder.uuid), tag: nil, sequence: 2)),
                    endsUnfinished: false),
                .closes(.statement),
            ])
    }

    @Test func mysqlWithoutGTIDs() throws {
        var file = BinlogFileBuilder(flavor: .mysql, checksums: false)
        file.query("BEGIN")
        file.tableMap(id: 1, "db", "t")
        file.writeRows(id: 1, [1])
        file.query("COMMIT")
        file.query("CREATE TABLE db.u (id INT)")
        file.gtid(sequence: nil)  // ANONYMOUS_GTID
        file.query("DROP TABLE db.u")
        file.query("BEGIN")
        file.xid()
        file.xid()  // a stray XID: a group by itself
        #expect(
            try Self.steps(file) == [
                .outside, .opens(.begin, endsUnfinished: false), .inside, .inside, .closes(.commit),
                .single(.statement), .opens(.gtid(nil), endsUnfinished: false), .closes(.statement),
                .opens(.begin, endsUnfinished: false), .closes(.xid), .single(.xid),
            ])
    }

    @Test func mariadbGTIDsStandaloneAndTransactional() throws {
        var file = BinlogFileBuilder(flavor: .mariadb)
        file.mariadbGTID(sequence: 1, standalone: true)
        file.query("CREATE TABLE db.t (id INT)")
        file.insertTransaction(gtid: 2, tableID: 1, "db", "t", rows: [1])
        file.mariadbGTID(sequence: 3, standalone: false)
        file.query("INSERT INTO db.t VALUES (2)")  // statement format inside the transaction
        file.query("COMMIT")
        var boundary = TransactionBoundary()
        var gtids: [String?] = []
        var steps: [TransactionBoundary.Step] = []
        for record in try Self.records(file) {
            steps.append(boundary.observe(record.event))
            gtids.append(boundary.gtid?.description)
        }
        #expect(steps.filter { if case .opens = $0 { true } else { false } }.count == 3)
        #expect(steps[2] == .closes(.statement))
        #expect(steps[6] == .closes(.xid))
        #expect(steps[8] == .inside)
        #expect(steps[9] == .closes(.commit))
        #expect(gtids == [nil, "0-1-1", "0-1-1", "0-1-2", "0-1-2", "0-1-2", "0-1-2", "0-1-3", "0-1-3", "0-1-3"])
    }

    /// A `BEGIN` right after a MariaDB GTID event that stood for `BEGIN` already (as a file written by another tool, or
    /// by a server relaying such a file, may hold) repeats it: the same group, not a second one that ends the first
    /// unfinished and loses its GTID. A `BEGIN` later in the group still opens a new one.
    @Test func aBeginRightAfterATransactionalMariaDBGTIDIsPartOfItsGroup() throws {
        var file = BinlogFileBuilder(flavor: .mariadb)
        file.mariadbGTID(sequence: 7, standalone: false)
        file.query("BEGIN")
        file.tableMap(id: 1, "db", "t")
        file.writeRows(id: 1, [Int32(1)])
        file.query("BEGIN")
        file.xid(7)
        var boundary = TransactionBoundary()
        var steps: [TransactionBoundary.Step] = []
        var gtids: [String?] = []
        for record in try Self.records(file) {
            steps.append(boundary.observe(record.event))
            gtids.append(boundary.gtid?.description)
        }
        #expect(
            steps == [
                .outside, .opens(.gtid(GTID("0-1-7")), endsUnfinished: false), .inside, .inside, .inside,
                .opens(.begin, endsUnfinished: true), .closes(.xid),
            ])
        #expect(gtids == [nil, "0-1-7", "0-1-7", "0-1-7", "0-1-7", nil, nil])
    }

    @Test func aReadThatStartsInsideATransactionOpensItPartway() {
        var boundary = TransactionBoundary()
        #expect(boundary.observe(.xid(XIDEvent(xid: 1))) == .single(.xid))
        #expect(boundary.observe(.ignorable(BinlogEventType(rawValue: 28))) == .opens(.partway, endsUnfinished: false))
        #expect(boundary.observe(.stop) == .outside)
        #expect(boundary.isOpen)
        #expect(boundary.observe(.xid(XIDEvent(xid: 2))) == .closes(.xid))
        #expect(!boundary.isOpen)
    }

    @Test func theTrackerSummarisesEachGroupWithRowsAndGTIDs() throws {
        var file = BinlogFileBuilder(flavor: .mysql)
        file.insertTransaction(gtid: 7, tableID: 5, "shop", "orders", rows: [1, 2, 3])
        file.query("BEGIN")  // no GTID: a group of its own, left open
        file.tableMap(id: 5, "shop", "orders")
        let decoded = FixtureDecoding.decode(bytes: file.bytes, keepContexts: true)
        #expect(decoded.error == nil)
        var tracker = TransactionTracker(countsRows: true)
        var summaries: [TransactionSummary] = []
        for (record, context) in zip(decoded.records, decoded.contexts) {
            summaries += try tracker.observe(record, context: context)
        }
        #expect(summaries.count == 1)
        let first = try #require(summaries.first)
        #expect(first.gtid?.description.hasSuffix(":7") == true)
        #expect(first.ending == .xid)
        #expect(first.insertedRows == 3)
        #expect(first.tables.map(\.qualifiedName) == ["shop.orders"])
        #expect(first.startPosition == file.positions[1])
        #expect(first.endPosition == file.positions[6])
        let unfinished = tracker.finish()
        let open = try #require(unfinished)
        #expect(open.ending == .incomplete)
        #expect(open.gtid == nil)
        #expect(open.startPosition == file.positions[6])
    }
}
