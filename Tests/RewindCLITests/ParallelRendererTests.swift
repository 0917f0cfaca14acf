import NIOCore
import Testing

@testable import BinlogFormat
@testable import Recovery
@testable import RewindCLI

/// Batches render on worker threads; the output must come out in the input's order, and a row event that does
/// not decode must stop the output there with an error naming the file and offset.
@Suite struct ParallelRendererTests {
    static func item(position: UInt64, event: BinlogEvent = .stop, size: UInt32 = 100) -> BinlogInspector.Item {
        let header = BinlogEventHeader(
            timestamp: 1_700_000_000,
            type: BinlogEventType(rawValue: 3),
            serverID: 1,
            eventSize: size,
            nextPosition: UInt32(position) + size,
            flags: 0
        )
        return BinlogInspector.Item(
            fileName: "binlog.000042",
            record: BinlogEventRecord(position: position, header: header, event: event, checksum: nil),
            context: BinlogDecodingContext(),
            transactionGTID: nil
        )
    }

    @Test(arguments: [1, 2, 4])
    func keepsTheOrderAcrossManyBatches(workers: Int) throws {
        let renderer = ParallelRenderer(workers: workers, batchByteLimit: 1000) { entry, sink in
            sink.write("\(entry.item.record.position)\n")
        }
        var out = OutputSink.capturing()
        for index in 0..<5000 { try renderer.add(Self.item(position: UInt64(index)), into: &out) }
        try renderer.flush(into: &out)
        #expect(out.captured == (0..<5000).map { "\($0)\n" }.joined())
    }

    @Test func aRowEventThatDoesNotDecodeStopsTheOutputAndNamesFileAndOffset() throws {
        let table = TableMapEvent(
            tableID: 7,
            flags: 0,
            database: "shop",
            table: "orders",
            columns: [ColumnDescriptor(type: .varchar, metadata: 10)]
        )
        // NULL bitmap 0, then a VARCHAR that claims 5 bytes and has 1.
        let rows = RowsEvent(
            kind: .insert,
            version: 2,
            isPartialUpdate: false,
            isCompressed: false,
            tableID: 7,
            flags: 1,
            extraData: [],
            columnCount: 1,
            presentColumns: [1],
            presentColumnsAfter: nil,
            rowData: ByteBuffer(bytes: [0x00, 0x05, 0x61])
        )
        var context = BinlogDecodingContext()
        context.tableMaps[7] = table
        var bad = Self.item(position: 5000, event: .rows(rows))
        bad.context = context
        let text = EventTextRenderer(verbosity: 1, utcOffset: 0)
        let renderer = ParallelRenderer(workers: 2, batchByteLimit: 1000) { entry, sink in
            try text.render(entry.item, into: &sink)
        }
        var out = OutputSink.capturing()
        let thrown = #expect(throws: RenderingError.self) {
            for index in 0..<50 { try renderer.add(Self.item(position: UInt64(index) * 100), into: &out) }
            try renderer.add(bad, into: &out)
            for index in 51..<100 { try renderer.add(Self.item(position: UInt64(index) * 100), into: &out) }
            try renderer.flush(into: &out)
        }
        let error = thrown?.underlying as? BinlogDecodingError
        #expect(error?.fileName == "binlog.000042")
        #expect(error?.position == 5000)
        #expect(error?.code == .truncated)
        #expect(out.captured.contains("# at 4900\n"))
        // Nothing of the bad event: the output ends with the whole event before it.
        #expect(!out.captured.contains("# at 5000\n"))
        #expect(!out.captured.contains("# at 5100\n"))

        // --force-read: the bad event is left out whole, the rest goes on, the error is kept.
        let goingOn = ParallelRenderer(workers: 2, batchByteLimit: 1000, continuePastErrors: true) { entry, sink in
            try text.render(entry.item, into: &sink)
        }
        var all = OutputSink.capturing()
        for index in 0..<50 { try goingOn.add(Self.item(position: UInt64(index) * 100), into: &all) }
        try goingOn.add(bad, into: &all)
        for index in 51..<100 { try goingOn.add(Self.item(position: UInt64(index) * 100), into: &all) }
        try goingOn.flush(into: &all)
        #expect(all.captured.contains("# at 4900\n") && all.captured.contains("# at 9900\n"))
        #expect(!all.captured.contains("# at 5000\n"))
        #expect(goingOn.errors.count == 1)
    }
}
