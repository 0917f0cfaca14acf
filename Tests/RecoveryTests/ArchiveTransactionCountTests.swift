import BinlogFormat
import Foundation
import Recovery
import RewindTestSupport
import Testing

@testable import BinlogArchive

/// The archive index counts transactions as `rewind binlog stats` does (``TransactionTracker``), with and without
/// GTIDs: it used to count GTID events, so a binlog without them showed 0 transactions in the index.
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
    func theArchiveIndexCountsTransactionsAsBinlogStatsDoes(_ fixture: String, _ known: Int?) throws {
        let path = Fixtures.path(fixture)
        let stats = try BinlogStatistics.collect(paths: [path]).0.totals.transactions
        #expect(stats > 0, "\(fixture): no transaction at all")
        if let known { #expect(stats == known, "\(fixture): binlog stats") }

        // The archiver counts a file when it resumes it (and, event by event, the same inspector as it archives).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-txcount-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("binlog.000001").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        var entry = ArchivedFile(name: "binlog.000001")
        var gtids = GTIDSet()
        var counts: [UInt64] = []
        let result = try ArchiveFileWriter.resume(path: copy, from: 4, verifyChecksums: true) { inspection, _ in
            entry.record(inspection, gtids: &gtids)
            counts.append(inspection.transactions)
        }
        #expect(result.truncated == nil, "\(fixture): the archive cut it at \(String(describing: result.truncated))")
        #expect(entry.transactions == UInt64(stats), "\(fixture): index \(entry.transactions), stats \(stats)")
        #expect(counts == counts.sorted(), "\(fixture): the count went down")
    }
}
