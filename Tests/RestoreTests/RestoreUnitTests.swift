import BinlogFormat
import Foundation
import NIOCore
import RewindTestSupport
import Testing

@testable import Restore

@Suite struct RestoreUnitTests {
    @Test func base64MatchesFoundation() {
        var generator = SplitMix64(seed: 7)
        for length in [0, 1, 2, 3, 4, 5, 63, 64, 65, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var ours: [UInt8] = []
            bytes.withUnsafeBytes { Base64.append($0, to: &ours) }
            #expect(String(decoding: ours, as: UTF8.self) == Data(bytes).base64EncodedString(), "length \(length)")
        }
    }

    @Test func renamingRewritesDatabaseReferencesOnly() {
        let renames = ["shop": "shop_r"]
        func renamed(_ text: String) -> String {
            String(decoding: RestoreStatement.renaming(Array(text.utf8), renames), as: UTF8.self)
        }
        #expect(renamed("ALTER TABLE shop.orders ADD COLUMN x INT") == "ALTER TABLE `shop_r`.orders ADD COLUMN x INT")
        #expect(renamed("RENAME TABLE `shop`.`a` TO `shop`.`b`") == "RENAME TABLE `shop_r`.`a` TO `shop_r`.`b`")
        #expect(
            renamed("CREATE TABLE t (shop INT, note VARCHAR(9) DEFAULT 'shop.x')")
                == "CREATE TABLE t (shop INT, note VARCHAR(9) DEFAULT 'shop.x')")
        #expect(renamed("DROP DATABASE shop") == "DROP DATABASE `shop_r`")
        #expect(
            renamed("CREATE DATABASE IF NOT EXISTS `shop` /*!40100 DEFAULT CHARACTER SET latin1 */")
                == "CREATE DATABASE IF NOT EXISTS `shop_r` /*!40100 DEFAULT CHARACTER SET latin1 */")
        #expect(renamed("UPDATE other.shop SET a = 1") == "UPDATE other.shop SET a = 1")
        #expect(
            renamed("INSERT INTO t SELECT * FROM shop . t2 /* shop.t3 */")
                == "INSERT INTO t SELECT * FROM `shop_r` . t2 /* shop.t3 */")
    }

    @Test func gtidCoverage() {
        #expect(RestorePlanner.gtid(GTID("0-1-5")!, isIn: "0-1-7,1-1-2"))
        #expect(!RestorePlanner.gtid(GTID("0-1-8")!, isIn: "0-1-7,1-1-2"))
        #expect(!RestorePlanner.gtid(GTID("2-1-1")!, isIn: "0-1-7"))
        #expect(!RestorePlanner.gtid(GTID("0-1-1")!, isIn: nil))
    }

    /// Splitting a real rows event into pieces of whole rows keeps every row, in order, and gives valid events
    /// (size fields and CRC32 that the decoder accepts); only the last keeps STMT_END_F.
    @Test func splittingARowsEventKeepsEveryRow() throws {
        let fixtures = Fixtures.allBinlogFiles().map(Fixtures.path)
        var checked = 0
        for path in fixtures where checked < 3 {
            var decoder = BinlogStreamDecoder(
                fileName: path, context: BinlogDecodingContext(verifiesChecksums: true), forceRead: false)
            decoder.append(ByteBuffer(bytes: try Array(Data(contentsOf: URL(fileURLWithPath: path)))))
            while let (record, bytes) = try decoder.nextWithBytes() {
                guard case .rows(let rows) = record.event, !rows.isCompressed,
                    let table = decoder.context.tableMap(for: rows)
                else { continue }
                let count = try rows.rowCount(table: table)
                guard count >= 3 else { continue }
                let checksummed = decoder.context.formatDescription.checksumAlgorithm == .crc32
                let pieces = try EventRewriter.splitting(
                    bytes, rows: rows, table: table, limit: bytes.readableBytes / 2, checksummed: checksummed)
                #expect(pieces.count >= 2)
                var total = 0
                var replay = BinlogEventDecoder(context: decoder.context)
                var before: [RowChange] = []
                try rows.forEachRow(table: table) { before.append($0) }
                var after: [RowChange] = []
                for (index, piece) in pieces.enumerated() {
                    let decoded = try replay.decode(piece, position: record.position)
                    guard case .rows(let part) = decoded.event else {
                        Issue.record("a piece is not a rows event")
                        continue
                    }
                    #expect(part.isStatementEnd == (index == pieces.count - 1 && rows.isStatementEnd))
                    total += try part.rowCount(table: table)
                    try part.forEachRow(table: table) { after.append($0) }
                }
                #expect(total == count)
                #expect(before == after)
                checked += 1
            }
        }
        #expect(checked > 0, "no fixture has a rows event of 3 or more rows")
    }
}
