import BinlogFormat
import NIOCore
import RewindTestSupport
import Testing

/// Values that the corpus' golden files or generating SQL state (see SOURCES.md).
@Suite struct GoldenEventTests {
    func events(_ file: String) throws -> [BinlogEvent] {
        let result = try FixtureDecoding.decode(fixture: file)
        #expect(result.error == nil)
        return result.records.map(\.event)
    }

    @Test func taggedGTIDAndTaggedPreviousGTIDs() throws {
        let events = try self.events("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001")
        let gtid = try #require(events.compactMap { if case .gtid(let e) = $0 { e } else { nil } }.first)
        #expect(gtid.tag == "mytag")
        #expect(gtid.sequence == 3)
        #expect(gtid.uuid.description == "55778904-0299-11f1-b1b8-4ef0c4956feb")
        #expect(gtid.gtid?.description == "55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3")
        let previous = try #require(events.compactMap { if case .previousGTIDs(let e) = $0 { e } else { nil } }.first)
        #expect(
            previous.gtids.description
                == "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13,55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:1-2")
    }

    @Test func untaggedPreviousGTIDs() throws {
        let events = try self.events("rust_mysql_common/binlog_transaction_previous_GTID_no_tag.000001")
        let previous = try #require(events.compactMap { if case .previousGTIDs(let e) = $0 { e } else { nil } }.first)
        #expect(previous.gtids.description == "b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2")
        let set = try #require(GTIDSet("b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2"))
        #expect(set == previous.gtids)
    }

    @Test func compressedPayloadHoldsQueryTableMapWriteRowsXID() throws {
        let events = try self.events("rust_mysql_common/transaction_compression.000001")
        let payload = try #require(
            events.compactMap { if case .transactionPayload(let e) = $0 { e } else { nil } }.first)
        #expect(payload.compressionType == 0)
        #expect(payload.events.map(\.header.type) == [.query, .tableMap, .writeRowsV2, .xid])
    }

    @Test func compressedPayloadWithUpdateInside() throws {
        let events = try self.events("mysql-binlog-connector-java/mysql-bin.compressed")
        let payload = try #require(
            events.compactMap { if case .transactionPayload(let e) = $0 { e } else { nil } }.first)
        #expect(payload.events.map(\.header.type) == [.query, .tableMap, .updateRowsV2, .xid])
    }

    @Test func mysql80PayloadOf100InsertsAndPartialJSONUpdate() throws {
        let events = try self.events("mariadb-test-data/std_data/mdev35643_mysql_80_binlog.000001")
        let payload = try #require(
            events.compactMap { if case .transactionPayload(let e) = $0 { e } else { nil } }.first)
        #expect(payload.payloadSize == 792)
        #expect(payload.uncompressedSize == 20188)
        #expect(payload.events.filter { $0.header.type == .tableMap }.count == 100)
        #expect(payload.events.filter { $0.header.type == .writeRowsV2 }.count == 100)
        #expect(events.contains { if case .rows(let r) = $0 { r.isPartialUpdate } else { false } })
    }

    @Test func mariadbFullRowMetadataNamesColumnsAndKey() throws {
        let events = try self.events("rust_mysql_common/mariadb-bin.000001")
        let map = try #require(events.compactMap { if case .tableMap(let e) = $0 { e } else { nil } }.first)
        #expect(map.database == "toddy_test")
        #expect(map.table == "outbox")
        #expect(map.columns.map(\.name) == ["id", "topic", "event_type", "event", "created"])
        #expect(map.columns.map(\.isPrimaryKey) == [true, false, false, false, false])
        #expect(events.contains { if case .mariadbAnnotateRows = $0 { true } else { false } })
        // The ROTATE name carries trailing garbage after a NUL in this file (mysql_async#189): the name stays clean.
        for case .rotate(let rotate) in events { #expect(!rotate.nextFileName.contains("\0")) }
    }

    @Test func vectorDimensionsFromOptionalMetadata() throws {
        let maps = try self.events("rust_mysql_common/vector.binlog").compactMap {
            if case .tableMap(let e) = $0 { e } else { nil }
        }
        let dimensions = maps.flatMap { $0.columns }.compactMap(\.vectorDimensions)
        #expect(dimensions.contains(3))
        #expect(dimensions.contains(2) && dimensions.contains(4))
    }

    @Test func enumAndSetMemberNames() throws {
        let maps = try self.events("rust_mysql_common/mysql-enum-string-set.000001").compactMap {
            if case .tableMap(let e) = $0 { e } else { nil }
        }
        let columns = maps.flatMap(\.columns)
        #expect(columns.contains { $0.enumValues != nil })
        #expect(columns.contains { $0.setValues != nil })
    }

    @Test func minimalMetadataSignednessAndCharset() throws {
        let map = try #require(
            try self.events("rust_mysql_common/minimal_row_metadata.000001").compactMap {
                if case .tableMap(let e) = $0 { e } else { nil }
            }.first)
        // The golden numbers columns from 0: column 2 is utf8mb4_0900_ai_ci, column 4 an UNSIGNED INT.
        #expect(map.columns[1].collation == 63)
        #expect(map.columns[2].collation == 255)
        #expect(map.columns.map(\.isUnsigned) == [false, nil, nil, false, true])
        let result = try FixtureDecoding.decode(fixture: "rust_mysql_common/minimal_row_metadata.000001")
        let rows = try #require(result.records.compactMap { if case .rows(let e) = $0.event { e } else { nil } }.first)
        var values: [MySQLValue?] = []
        try rows.forEachRow(table: map) { values = $0.after?.values ?? [] }
        #expect(values[4] == .unsigned(3_230_202_323))
    }

    @Test func mysql57StatementEvents() throws {
        let rotate = try self.events("mysql-cdc-rs/5.7/04_rotate/log.bin").compactMap {
            if case .rotate(let e) = $0 { e } else { nil }
        }
        #expect(rotate == [RotateEvent(position: 4, nextFileName: "mysql_bin.000002")])
        let rand = try self.events("mysql-cdc-rs/5.7/13_rand/log.bin").compactMap {
            if case .rand(let e) = $0 { e } else { nil }
        }
        #expect(rand == [RandEvent(seed1: 694_882_935, seed2: 292_094_996)])
        let xid = try self.events("mysql-cdc-rs/5.7/16_xid/log.bin").compactMap {
            if case .xid(let e) = $0 { e } else { nil }
        }
        #expect(xid == [XIDEvent(xid: 41)])
        let maps = try self.events("mysql-cdc-rs/5.7/19_table_map/log.bin").compactMap {
            if case .tableMap(let e) = $0 { e } else { nil }
        }
        #expect(maps.first?.tableID == 110)
        #expect(maps.first?.table == "boxercrab")
        #expect(maps.first?.columns.map(\.type) == [.long, .varchar])
        #expect(maps.first?.columns.map(\.metadata) == [0, 160])
        let userVars = try self.events("mysql-cdc-rs/5.7/14_user_var/log.bin").compactMap {
            if case .userVar(let e) = $0 { e } else { nil }
        }
        #expect(userVars.count == 3)
        let load = try self.events("mysql-cdc-rs/5.7/17_18_load/log.bin").compactMap {
            if case .loadData(let e) = $0 { e } else { nil }
        }
        #expect(load.first?.kind == .beginLoadQuery)
        #expect(load.first?.block == Array("1,\"abc\"\n".utf8))
        #expect(load.last?.kind == .executeLoadQuery)
    }

    @Test func mariadbGTIDChainLinksFileToFile() throws {
        let files = ["000001", "000002", "000004", "000005", "000006", "000007", "000009", "000010"]
        var lastGTIDs: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for suffix in files {
            let events = try self.events("mariadb-poc/domain_id_0/mariadb-repl-bin.\(suffix)")
            let gtids = events.compactMap { if case .mariadbGTID(let e) = $0 { e.gtid.description } else { nil } }
            lastGTIDs[suffix] = gtids.last
            lists[suffix] =
                events.compactMap { if case .mariadbGTIDList(let e) = $0 { e.gtids.map(\.description) } else { nil } }
                .first
            if suffix == "000002" {
                #expect(gtids.first == "0-10-250080")
                #expect(gtids.last == "0-10-254512")
            }
        }
        #expect(lists["000004"] == ["0-10-262175"])
        #expect(lastGTIDs["000004"] == "0-10-262580")
        for (previous, next) in [
            ("000004", "000005"), ("000005", "000006"), ("000006", "000007"), ("000009", "000010"),
        ] {
            #expect(lists[next] == [lastGTIDs[previous] ?? "?"], "GTID_LIST of \(next) continues \(previous)")
        }
    }

    @Test func encryptedMariaDBBinlogSaysSo() throws {
        let result = try FixtureDecoding.decode(fixture: "mariadb-test-data/std_data/binlog_before_20574.bin")
        #expect(result.records.contains { if case .mariadbStartEncryption = $0.event { true } else { false } })
        #expect(result.error?.code == .encrypted)
        #expect(result.error?.description.contains("encrypted") == true)
    }

    @Test func fiftySixGTIDsWithoutCommitTimestamps() throws {
        let gtids = try self.events("rust_mysql_common/binlog_56_gtid_reserved_word.000001").compactMap {
            if case .gtid(let e) = $0 { e } else { nil }
        }
        #expect(gtids.count == 6)
        #expect(gtids.allSatisfy { $0.immediateCommitTimestamp == nil && !$0.isAnonymous })
    }

    @Test func mysql8GTIDCarriesCommitTimestampAndLength() throws {
        let gtids = try self.events("mysqlbinlog2parquet/01-basic-crud.binlog").compactMap {
            if case .gtid(let e) = $0 { e } else { nil }
        }
        #expect(gtids.count == 7)
        #expect(gtids.allSatisfy { $0.originalCommitTimestamp != nil && $0.transactionLength != nil })
    }
}
