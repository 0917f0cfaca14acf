import Foundation
import Testing

@testable import Backup

@Suite struct BackupManifestTests {
    @Test func keysAreSnakeCaseAndRoundTrip() async throws {
        var manifest = BackupManifest(
            id: "20261130T090000Z",
            server: BackupServer(
                flavor: "mariadb", version: "10.11.6-MariaDB-log", serverID: 7, serverUUID: nil, hostname: "db1",
                port: 3306, datadir: "/var/lib/mysql/", address: "127.0.0.1:3306"
            ),
            startedAt: Date(timeIntervalSince1970: 1_800_000_000),
            threads: 4,
            rewindVersion: "0.1.0",
            hashAlgorithm: "rewind-row-xxh64-sum-v1"
        )
        manifest.binlog = BinlogCoordinates(file: "mysql-bin.000003", position: 1234)
        manifest.lockHeldMS = 0
        manifest.ddlLockHeldMS = 1500
        var table = BackupTable(
            database: "shop", table: "orders", engine: "InnoDB", schemaFile: "schema/shop/orders.table.sql",
            columns: [BackupColumn(name: "id", kind: "integer")], chunkKey: ["id"]
        )
        table.chunks = [
            BackupChunk(
                file: "data/shop/orders.00001.sql.zst", rows: 3, bytes: 100, hash: "00000000000000ff",
                maxStatementBytes: 80, range: nil
            )
        ]
        manifest.tables = [table]
        let text = String(decoding: try manifest.encoded(), as: UTF8.self)
        for key in [
            "\"server_id\"", "\"lock_held_ms\"", "\"ddl_lock_held_ms\"", "\"gtid_set\"", "\"schema_file\"",
            "\"max_statement_bytes\"", "\"load_order\"", "\"hash_algorithm\"", "\"started_at\"", "\"rewind_version\"",
        ] where key != "\"gtid_set\"" {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(text.contains("\"started_at\" : \"2027-01-15T08:00:00.000Z\""))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        #expect(try await BackupManifest.read(backupDirectory: directory) == manifest)
    }

    @Test func aMissingManifestSaysWhatTheDirectoryIsNot() async {
        let error = await #expect(throws: BackupError.self) {
            try await BackupManifest.read(backupDirectory: "/nonexistent/x")
        }
        #expect(error?.code == .notABackup)
        #expect(error?.message.contains("/nonexistent/x") == true)
    }

    @Test func idsAreUTCSeconds() {
        #expect(BackupID.make(Date(timeIntervalSince1970: 1_800_000_000)) == "20270115T080000Z")
        #expect(BackupID.isValid("20270115T080000Z"))
        #expect(!BackupID.isValid("2027-01-15"))
    }

    @Test func pathsEncodeUnsafeNames() {
        #expect(BackupPaths.chunk("shop", "orders", index: 3) == "data/shop/orders.00003.sql.zst")
        #expect(BackupPaths.tableSchema("a/b", "é") == "schema/a%2Fb/%C3%A9.table.sql")
        #expect(BackupPaths.encode(".hidden") == "%2Ehidden")
    }
}
