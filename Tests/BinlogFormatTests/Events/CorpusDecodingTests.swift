import BinlogFormat
import Foundation
import NIOCore
import RewindTestSupport
import Testing

/// Every file of the shared corpus decodes: events to typed cases, rows to values; deliberately broken files
/// fail with the right error at the right offset.
@Suite struct CorpusDecodingTests {
    /// Files that must fail, with the error code and byte offset (from SOURCES.md).
    static let expectedFailures: [String: (BinlogDecodingError.Code, UInt64)] = [
        "mariadb-test-data/std_data/binlog_before_20574.bin": (.encrypted, 296),
        "mariadb-test-data/std_data/bug11747416_32228_binlog.000001": (.truncated, 316),
        "mariadb-test-data/std_data/corrupt-relay-bin.000624": (.truncated, 91204),
        "rust_mysql_common/corrupt-relay-bin.000624": (.truncated, 91204),
        "mariadb-test-data/std_data/mdev-39404-binlog.000001": (.badChecksum, 256),
        "rust_mysql_common/binlog_truncated_event.000001": (.truncated, 4),
        "rust_mysql_common/binlog_truncated_prev_gtid_event.000001": (.truncated, 120),
        "rust_mysql_common/ver_5_1-wl2325_r.001": (.malformed, 428),
        "mariadb-test-data/suite/binlog/std_data/invalid_row_v2_tag.001": (.malformed, 256),
    ]

    static func corpusFiles() -> [String] {
        Fixtures.allBinlogFiles()
    }

    @Test func corpusIsPresent() throws {
        if !Fixtures.isAvailable {
            Issue.record("binlog corpus missing at \(Fixtures.root.path): set REWIND_FIXTURES")
            return
        }
        #expect(Self.corpusFiles().count >= 130)
    }

    // One file at a time: 138 CPU-bound cases queued at once held the 2-thread test pool for over 30 s, and
    // other suites' network timeouts fired.
    @Test(.serialized, arguments: corpusFiles())
    func fileDecodesCompletely(file: String) throws {
        let result = try FixtureDecoding.decode(fixture: file, keepContexts: true)
        if let (code, position) = Self.expectedFailures[file] {
            let error = try #require(result.error, "\(file) must fail")
            #expect(error.code == code)
            #expect(error.position == position)
            #expect(error.fileName == file)
        } else {
            #expect(result.error == nil, "\(file): \(result.error.map(String.init(describing:)) ?? "")")
        }
        for (index, record) in result.records.enumerated() {
            try Self.checkTyped(record, context: result.contexts[index], file: file)
        }
    }

    /// No known type decodes to `.unknown`; every row of every row event decodes to values.
    static func checkTyped(_ record: BinlogEventRecord, context: BinlogDecodingContext, file: String) throws {
        var context = context
        switch record.event {
        case .unknown(let type, _):
            Issue.record("\(file) at \(record.position): type \(type.rawValue) decoded as unknown")
        case .rows(let rows):
            let map = try #require(context.tableMap(for: rows), "\(file) at \(record.position): no table map")
            var count = 0
            try rows.forEachRow(table: map) { change in
                count += 1
                let image = try #require(change.after ?? change.before)
                #expect(image.values.count == map.columns.count)
            }
            #expect(count > 0, "\(file) at \(record.position): a row event without rows")
        case .transactionPayload(let payload):
            #expect(!payload.events.isEmpty)
            for inner in payload.events {
                if case .tableMap(let map) = inner.event { context.tableMaps[map.tableID] = map }
                #expect(inner.checksum == nil, "inner events carry no CRC32")
                try checkTyped(inner, context: context, file: file)
            }
        default:
            break
        }
    }

    @Test func eventCountsMatchTheConnectorJavaGoldens() throws {
        #expect(
            try FixtureDecoding.decode(fixture: "mysql-binlog-connector-java/mysql-bin.checksum-crc32").records.count
                == 303)
        #expect(
            try FixtureDecoding.decode(fixture: "mysql-binlog-connector-java/mysql-bin.checksum-none").records.count
                == 191)
        #expect(
            try FixtureDecoding.decode(fixture: "mysql-binlog-connector-java/mysql-bin.compressed").records.count == 5)
        #expect(
            try FixtureDecoding.decode(fixture: "mysql-binlog-connector-java/mysql-bin.sakila.gz").records.count == 1462
        )
    }

    @Test func gzipFileIsNotABinlogUntilUnpacked() throws {
        let result = FixtureDecoding.decode(
            bytes: Array(try Fixtures.data("mysql-binlog-connector-java/mysql-bin.sakila.gz")))
        #expect(result.error?.code == .notABinlog)
        #expect(result.error?.reason.contains("gzip") == true)
    }

    @Test func auroraPaddingIsIgnorableAndPositionsMatch() throws {
        let result = try FixtureDecoding.decode(fixture: "mysql-binlog-connector-java/mysql-bin.aurora-padding")
        #expect(result.records.map(\.position) == [4, 185, 216, 281, 1209])
        #expect(result.records.map(\.endPosition) == [185, 216, 281, 1209, 1294])
        #expect(result.records[3].event == .ignorable(BinlogEventType(rawValue: 100)))
        guard case .query(let query) = result.records[4].event else {
            Issue.record("5th event is not a query")
            return
        }
        #expect(query.isBegin)
    }
}
