import Foundation
import Logging
import RewindTestSupport
import Testing

@testable import Recovery

/// A change logged as a statement (binlog_format STATEMENT or MIXED) has no row events, so it names no table in the
/// timeline's `tables`; `--table` and `--database` still find it by the tables its text names (the audit found them
/// left out, so a DBA filtering by table missed the writes to it).
@Suite struct TimelineStatementFilterTests {
    static func timeline(_ path: String, _ filter: TimelineFilter) async throws -> [TimelineTransaction] {
        var result: [TimelineTransaction] = []
        _ = try await TimelineReader(filter: filter).read(
            .files([path]), logger: Logger(label: "rewind.tests.timeline-statements")
        ) { result.append($0) }
        return result
    }

    @Test func statementFormatChangesAreFoundByTheTablesTheirTextNames() async throws {
        var file = BinlogFileBuilder(flavor: .mariadb)
        file.mariadbGTID(sequence: 1, standalone: false)
        file.query("UPDATE items SET qty = qty + 1 WHERE id = 3", database: "shop")
        file.query("COMMIT", database: "shop")
        file.mariadbGTID(sequence: 2, standalone: false)
        file.query("DELETE FROM shop.audit", database: "tl")
        file.query("COMMIT", database: "tl")
        file.mariadbGTID(sequence: 3, standalone: false)
        file.query("INSERT INTO other.t VALUES (1)", database: "shop")
        file.query("COMMIT", database: "shop")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/mysql-bin.000001"
        try file.write(to: path)

        let all = try await Self.timeline(path, TimelineFilter())
        #expect(all.map(\.gtid) == ["0-1-1", "0-1-2", "0-1-3"])
        let items = try await Self.timeline(
            path, TimelineFilter(tables: [QualifiedTable(database: "shop", table: "items")]))
        #expect(items.map(\.gtid) == ["0-1-1"])
        let shop = try await Self.timeline(path, TimelineFilter(databases: ["shop"]))
        #expect(shop.map(\.gtid) == ["0-1-1", "0-1-2"], "the DELETE names shop.audit under another current database")
    }
}
