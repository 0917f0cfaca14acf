import BinlogFormat
import Foundation
import RewindTestSupport
import Testing

@testable import Recovery

/// The event source, the event filter and the statistics on binlog files built byte by byte.
@Suite struct BinlogEventSourceTests {
    /// Two files of a MySQL server with GTIDs: a transaction of 3 rows and a DDL in the first (which rotates), a
    /// transaction of 2 rows in the second.
    static func files() throws -> (directory: URL, paths: [String], builders: [BinlogFileBuilder]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-source-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var first = BinlogFileBuilder(flavor: .mysql)
        first.insertTransaction(gtid: 1, tableID: 1, "shop", "orders", rows: [1, 2, 3])
        first.gtid(sequence: 2)
        first.query("CREATE TABLE shop.items (id INT)", database: "shop")
        first.rotate(to: "bin.000002")
        var second = BinlogFileBuilder(flavor: .mysql)
        second.insertTransaction(gtid: 3, tableID: 2, "crm", "notes", rows: [4, 5])
        let paths = [
            directory.appendingPathComponent("bin.000001").path, directory.appendingPathComponent("bin.000002").path,
        ]
        try first.write(to: paths[0])
        try second.write(to: paths[1])
        return (directory, paths, [first, second])
    }

    @Test func eventsComeInOrderWithFileNamePositionAndBytes() async throws {
        let (directory, paths, builders) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        var source = BinlogEventSource.files(paths)
        source.batchEventLimit = 3  // several batches per file
        var seen: [(String, UInt64)] = []
        var ends: [BinlogEventBatch.FileEnd] = []
        for try await batch in source {
            #expect(batch.events.count <= 3)
            for event in batch.events {
                #expect(event.fileName == batch.file.name)
                let builder = builders[batch.file.index]
                let start = Int(event.position)
                #expect(
                    Array(event.bytes.readableBytesView)
                        == Array(builder.bytes[start..<(start + event.bytes.readableBytes)]))
                seen.append((event.fileName, event.position))
            }
            if let end = batch.end { ends.append(end) }
        }
        let expected = builders.enumerated().flatMap { index, builder in
            builder.positions.map { ("bin.00000\(index + 1)", $0) }
        }
        #expect(seen.map(\.0) == expected.map(\.0))
        #expect(seen.map(\.1) == expected.map(\.1))
        #expect(ends.map(\.bytesRead) == builders.map { UInt64($0.bytes.count) })
        #expect(ends.allSatisfy { $0.error == nil })
    }

    @Test func aCutFileEndsWithItsErrorAndTheNextFileIsRead() async throws {
        let (directory, paths, builders) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(builders[0].bytes.dropLast(3)).write(to: URL(fileURLWithPath: paths[0]))
        var ends: [BinlogEventBatch.FileEnd] = []
        for try await batch in BinlogEventSource.files(paths) { if let end = batch.end { ends.append(end) } }
        #expect(ends.count == 2)
        #expect(ends[0].error?.code == .truncated)
        #expect(ends[0].error?.fileName == "bin.000001")
        #expect(ends[0].bytesRead == builders[0].positions.last)
        #expect(ends[1].error == nil)
        // binlog show stops there, naming file and byte.
        await #expect(throws: InspectionError.self) { _ = try await BinlogInspector().read(.files(paths)) { _ in } }
    }

    @Test func theFilterKeepsWholeTransactionsByGTID() async throws {
        let (directory, paths, _) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let uuid = UUID16(bytes: BinlogFileBuilder.uuid)
        var include = GTIDSet()
        include.insert(.mysql(uuid: uuid, tag: nil, sequence: 3))
        var shown: [BinlogInspector.Item] = []
        let report = try await BinlogInspector(filter: BinlogEventFilter(includeGTIDs: include)).read(.files(paths)) {
            shown.append($0)
        }
        let content = shown.filter { !BinlogEventFilter.isFileFraming($0.record.event) }
        #expect(content.count == 5)
        #expect(content.allSatisfy { $0.transactionGTID?.description.hasSuffix(":3") == true })
        #expect(report.eventsRead == 15)

        // A table filter keeps the GTID of a DDL only with its statement, and the transactions' boundaries.
        var tables: [BinlogInspector.Item] = []
        _ = try await BinlogInspector(filter: BinlogEventFilter(tables: ["crm.notes"])).read(.files(paths)) {
            tables.append($0)
        }
        let types = tables.filter { !BinlogEventFilter.isFileFraming($0.record.event) }.map(\.record.header.type)
        #expect(types == [.gtid, .query, .xid, .gtid, .query, .tableMap, .writeRowsV2, .xid])

        // A stop position ends the read in the last file.
        let stopped = try await BinlogInspector(filter: BinlogEventFilter(stopPosition: 200)).read(.files(paths)) { _ in
        }
        #expect(stopped.stoppedEarly)
    }

    @Test func statisticsCountFilesTablesAndTransactions() async throws {
        let (directory, paths, builders) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        var source = BinlogEventSource.files(paths)
        source.batchEventLimit = 2
        let (statistics, errors) = try await BinlogStatistics.collect(source)
        #expect(errors.isEmpty)
        #expect(statistics.files.map(\.name) == ["bin.000001", "bin.000002"])
        #expect(statistics.files.map(\.counts.transactions) == [2, 1])
        #expect(statistics.files.map(\.bytes) == builders.map { UInt64($0.bytes.count) })
        #expect(statistics.files[0].ending == "rotate")
        #expect(statistics.files[0].nextFile == "bin.000002")
        #expect(statistics.files[1].ending == "open")
        #expect(statistics.files.map(\.events) == builders.map(\.positions.count))
        #expect(statistics.totals.transactions == 3)
        #expect(statistics.totals.inserted == 5)
        #expect(statistics.totals.statements == 1)
        #expect(statistics.tables.map { "\($0.database).\($0.table)" } == ["crm.notes", "shop.orders"])
        #expect(statistics.tables.map(\.counts.inserted) == [2, 3])
    }

    @Test func aRowEventWithoutItsTableMapStopsItsFileInStatistics() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-source-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = BinlogFileBuilder(flavor: .mariadb)
        file.mariadbGTID(sequence: 1, standalone: false)
        file.writeRows(id: 9, [1])  // no TABLE_MAP before it
        file.xid()
        file.mariadbGTID(sequence: 2, standalone: true)
        file.query("DROP TABLE db.t")
        let path = directory.appendingPathComponent("m.000001").path
        try file.write(to: path)
        let (stopped, errors) = try await BinlogStatistics.collect(.files([path]))
        #expect(errors.count == 1)
        #expect(stopped.files[0].error != nil)
        #expect(stopped.files[0].counts.transactions == 1)  // the open one, counted when the file stops
        let (all, forced) = try await BinlogStatistics.collect(.files([path], forceRead: true), forceRead: true)
        #expect(forced.count == 1)
        #expect(all.files[0].counts.transactions == 2)
        #expect(all.files[0].lastGTID == "0-1-2")
    }
}
