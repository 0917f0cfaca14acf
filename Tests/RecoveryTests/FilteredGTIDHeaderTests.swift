import BinlogFormat
import Foundation
import RewindTestSupport
import Testing

@testable import Recovery

/// With `--database` or `--table`, a GTID event is shown only with something of its transaction after it: a
/// filtered-out DDL statement (a `DROP TABLE` of another table) takes its GTID header with it.
@Suite struct FilteredGTIDHeaderTests {
    static func isGTID(_ event: BinlogEvent) -> Bool {
        switch event {
        case .gtid, .mariadbGTID: true
        default: false
        }
    }

    /// Shown GTID events that nothing of their transaction follows (the next shown event is another GTID, or
    /// none, while the file goes on).
    static func danglingGTIDs(_ path: String, filter: BinlogEventFilter) async throws -> [UInt64] {
        var shown: [BinlogEventRecord] = []
        _ = try await BinlogInspector(filter: filter).read(.files([path])) { shown.append($0.record) }
        var dangling: [UInt64] = []
        for (index, record) in shown.enumerated() where Self.isGTID(record.event) {
            let next = index + 1 < shown.count ? shown[index + 1] : nil
            if next == nil || Self.isGTID(next!.event) || BinlogEventFilter.isFileFraming(next!.event) {
                dangling.append(record.position)
            }
        }
        return dangling
    }

    @Test func noGTIDHeaderWithoutItsStatementOverTheCorpus() async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("binlog corpus missing at \(Fixtures.root.path)") }
            print("SKIPPED loudly: binlog corpus missing at \(Fixtures.root.path)")
            return
        }
        var checked = 0
        var withDDL = 0
        for file in Fixtures.allBinlogFiles() {
            let path = Fixtures.path(file)
            guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size < 4 << 20
            else { continue }
            // Only files that read cleanly (the corpus also holds damaged files, tested elsewhere).
            var ddl = false
            do {
                _ = try await BinlogInspector().read(.files([path])) { item in
                    if case .query(let query) = item.record.event, !query.isBegin, !query.isCommit,
                        item.transactionGTID != nil
                    {
                        ddl = true
                    }
                }
            } catch { continue }
            checked += 1
            if ddl { withDDL += 1 }
            for filter in [BinlogEventFilter(tables: ["nosuch.t"]), BinlogEventFilter(databases: ["nosuch"])] {
                let dangling = try await Self.danglingGTIDs(path, filter: filter)
                #expect(dangling.isEmpty, "\(file): GTID events without their statement at \(dangling.prefix(5))")
            }
        }
        #expect(checked > 50)
        #expect(withDDL > 5, "the corpus should hold DDL under GTIDs")
    }
}
