import BinlogFormat
import NIOCore
import RewindTestSupport
import Testing

/// The decoder does not decode a TABLE_MAP again when its bytes are those of the last one for its table id; a
/// TABLE_MAP with other bytes under the same id (a table altered, or an id reused for another table) is decoded.
@Suite struct TableMapReuseTests {
    static func decode(_ file: BinlogFileBuilder) throws -> [(BinlogEventRecord, BinlogDecodingContext)] {
        var decoder = BinlogStreamDecoder(fileName: "reuse.bin")
        decoder.append(ByteBuffer(bytes: file.bytes))
        var decoded: [(BinlogEventRecord, BinlogDecodingContext)] = []
        while let record = try decoder.next() { decoded.append((record, decoder.context)) }
        try decoder.finish()
        return decoded
    }

    static func tableMap(_ record: BinlogEventRecord) -> TableMapEvent? {
        if case .tableMap(let map) = record.event { return map }
        return nil
    }

    @Test(arguments: [BinlogFileBuilder.Flavor.mysql, .mariadb])
    func aRepeatedTableMapGivesTheSameTableAndAnotherUnderTheSameIDIsDecoded(flavor: BinlogFileBuilder.Flavor) throws {
        var file = BinlogFileBuilder(flavor: flavor)
        file.tableMap(id: 7, "shop", "orders")
        file.writeRows(id: 7, [1])
        file.tableMap(id: 7, "shop", "orders")
        file.writeRows(id: 7, [2])
        file.tableMap(id: 7, "shop", "refunds")
        file.writeRows(id: 7, [3])
        file.tableMap(id: 7, "shop", "orders")
        let decoded = try Self.decode(file)
        let maps = decoded.compactMap { Self.tableMap($0.0) }
        #expect(maps.map(\.table) == ["orders", "orders", "refunds", "orders"])
        #expect(maps[0] == maps[1] && maps[0] == maps[3])
        #expect(maps.allSatisfy { $0.tableID == 7 && $0.database == "shop" && $0.columns.count == 1 })
        // Each ROWS event sees the map written before it.
        let tablesForRows = decoded.compactMap { record, context -> String? in
            guard case .rows(let rows) = record.event else { return nil }
            return context.tableMap(for: rows)?.table
        }
        #expect(tablesForRows == ["orders", "orders", "refunds"])
        #expect(decoded.last?.1.tableMaps[7]?.table == "orders")
    }
}
