import BinlogFormat
import Foundation
import Recovery
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// `rewind binlog stats`, the archive index and a count over ``BinlogEventSource`` agree on the transactions of a
/// file, with and without GTIDs, MySQL and MariaDB: all three follow ``TransactionBoundary``. The index used to count
/// GTID events, so a binlog without them showed 0 transactions there.
@Suite(.enabled(if: Fixtures.isAvailable || Fixtures.isCI, "needs the binlog corpus (REWIND_FIXTURES)"))
struct ArchiveTransactionCountTests {
    /// Fixture and the transaction count `SOURCES.md` leads to (`nil`: only compared with stats).
    static let files: [(String, Int?)] = [
        ("binlog-parser/mysql-bin.01", 4),  // MySQL 5.6 without GTIDs: BEGIN … XID, four times
        ("rust_mysql_common/bug27213339-bin.000001", 46),  // 5.7 ANONYMOUS_GTID statement transactions
        ("mariadb-test-data/std_data/binlog_transaction.000001", nil),  // 5.0 statements, BEGIN … COMMIT
        ("canal/mysql-bin.000001", nil),  // 5.1 rows, no checksums, no GTIDs
        ("mysql-cdc-rs/5.7/33_35_gtid_prev_gtid/log.bin", 3),  // 5.7 with GTIDs
        ("mariadb-poc/domain_id_0/mariadb-repl-bin.000002", nil),  // MariaDB GTIDs
        ("rust_mysql_common/transaction_compression.000001", nil),  // MySQL 8 TRANSACTION_PAYLOAD
    ]

    @Test(arguments: Self.files)
    func statsTheArchiveIndexAndTheEventSourceCountTheSameTransactions(_ fixture: String, _ known: Int?) async throws {
        let counts = try await Self.counts(of: Fixtures.path(fixture))
        #expect(counts.stats > 0, "\(fixture): no transaction at all")
        if let known { #expect(counts.stats == known, "\(fixture): binlog stats") }
        #expect(counts.source == counts.stats, "\(fixture): event source \(counts.source), stats \(counts.stats)")
        #expect(counts.archive == counts.stats, "\(fixture): archive source \(counts.archive), stats \(counts.stats)")
        #expect(counts.index == UInt64(counts.stats), "\(fixture): index \(counts.index), stats \(counts.stats)")
    }

    /// A MariaDB binlog of the sandbox (GTIDs always): DDL, BEGIN … COMMIT, auto-committed statements, a
    /// rolled-back non-transactional change and XA.
    @Test(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/test starts it)"))
    func theSameOnAMariaDBBinlogOfTheSandbox() async throws {
        try await SandboxInstance.withInstance(named: "txcount") { server in
            let defaults = try #require(server.defaultsFile)
            func sql(_ text: String) async throws -> String {
                try await SandboxInstance.runOffPool(
                    ["--defaults-file=\(defaults)", "-N", "-B", "-e", text], executable: "mariadb")
            }
            _ = try await sql("FLUSH BINARY LOGS")
            let file = "\(server.binlogDirectory)/\(try await sql("SHOW MASTER STATUS").split(separator: "\t")[0])"
            _ = try await sql(
                """
                CREATE DATABASE txcount;
                CREATE TABLE txcount.t (id INT PRIMARY KEY, note TEXT) ENGINE=InnoDB;
                CREATE TABLE txcount.m (id INT PRIMARY KEY) ENGINE=MyISAM;
                INSERT INTO txcount.t VALUES (1, 'a');
                BEGIN; INSERT INTO txcount.t VALUES (2, 'b'); UPDATE txcount.t SET note = 'c' WHERE id = 1; COMMIT;
                BEGIN; INSERT INTO txcount.t VALUES (3, 'x'); ROLLBACK;
                INSERT INTO txcount.m VALUES (1), (2);
                SET SESSION binlog_format = STATEMENT;
                INSERT INTO txcount.t VALUES (4, 'statement');
                SET SESSION binlog_format = ROW;
                XA START 'x1'; INSERT INTO txcount.t VALUES (5, 'xa'); XA END 'x1'; XA PREPARE 'x1'; XA COMMIT 'x1';
                DROP DATABASE txcount;
                """)
            _ = try await sql("FLUSH BINARY LOGS")
            let counts = try await Self.counts(of: file)
            // CREATE DATABASE, 2 CREATE TABLE, 3 INSERT/transactions, MyISAM insert, statement insert, XA PREPARE
            // and XA COMMIT, DROP DATABASE; the rolled-back transaction is not logged.
            #expect(counts.stats >= 10)
            #expect(counts.source == counts.stats)
            #expect(counts.archive == counts.stats)
            #expect(counts.index == UInt64(counts.stats))
        }
    }

    /// An archive's open file is read up to the size its index records, not to the bytes past it (an archiver may be
    /// appending): the source ends there cleanly.
    @Test func theArchiveSourceReadsTheOpenFileUpToItsArchivedSize() async throws {
        let path = Fixtures.path("mysql-cdc-rs/5.7/33_35_gtid_prev_gtid/log.bin")
        var all: [BinlogSourceEvent] = []
        for try await batch in BinlogEventSource.files([path]) { all += batch.events }
        #expect(all.count > 4)
        let cut = all[all.count / 2]
        let size = cut.position + UInt64(cut.bytes.readableBytes)
        let directory = try Self.archive(copying: path, size: size, state: .open)
        defer { try? FileManager.default.removeItem(at: directory) }
        var read: [BinlogSourceEvent] = []
        var end: BinlogEventBatch.FileEnd?
        for try await batch in try BinlogEventSource.archive(directory: directory.path) {
            read += batch.events
            end = batch.end ?? end
        }
        #expect(read.map(\.position) == all.prefix(all.count / 2 + 1).map(\.position))
        #expect(end?.error == nil)
        #expect(end?.bytesRead == size)
        #expect(read.allSatisfy { $0.fileName == "binlog.000001" })
        // Raw bytes are the file's: header to checksum, as long as the header says.
        #expect(read.allSatisfy { $0.bytes.readableBytes == Int($0.record.header.eventSize) })
    }

    struct Counts {
        var stats: Int
        var source: Int
        var archive: Int
        var index: UInt64
    }

    /// Counts the transactions of `path` by `binlog stats`, over the files source, over an archive directory
    /// holding it, and as the archiver records them in its index.
    static func counts(of path: String) async throws -> Counts {
        let stats = try await BinlogStatistics.collect(.files([path])).0.totals.transactions
        let source = try await Self.transactions(in: .files([path]))
        let size = UInt64(try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        let directory = try Self.archive(copying: path, size: size, state: .complete)
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = try await Self.transactions(in: .archive(directory: directory.path))

        // The archiver counts a file when it resumes it (and, event by event, the same inspector as it archives).
        var entry = ArchivedFile(name: "binlog.000001")
        var gtids = GTIDSet()
        var running: [UInt64] = []
        let result = try ArchiveFileWriter.resume(
            path: directory.appendingPathComponent("binlog.000001").path, from: 4, verifyChecksums: true
        ) { inspection, _ in
            entry.record(inspection, gtids: &gtids)
            running.append(inspection.transactions)
        }
        #expect(result.truncated == nil, "\(path): the archive cut it at \(String(describing: result.truncated))")
        #expect(running == running.sorted(), "\(path): the count went down")
        return Counts(stats: stats, source: source, archive: archive, index: entry.transactions)
    }

    /// Transactions of `source` by ``TransactionTracker``, an unfinished one at a file's end included (as stats).
    static func transactions(in source: BinlogEventSource) async throws -> Int {
        var count = 0
        var tracker = TransactionTracker(countsRows: false, maximumStatementLength: 0)
        for try await batch in source {
            for event in batch.events { count += try tracker.observe(event.record, context: event.context).count }
            guard let end = batch.end else { continue }
            #expect(end.error == nil)
            if tracker.finish() != nil { count += 1 }
        }
        return count
    }

    /// A directory holding a copy of `path` as `binlog.000001` and an index that lists it with `size` and `state`.
    static func archive(copying path: String, size: UInt64, state: ArchivedFile.State) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-txcount-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: directory.appendingPathComponent("binlog.000001").path)
        var index = ArchiveIndex()
        index.files = [ArchivedFile(name: "binlog.000001", size: size, state: state)]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(index).write(to: directory.appendingPathComponent(ArchiveIndex.fileName))
        return directory
    }
}
