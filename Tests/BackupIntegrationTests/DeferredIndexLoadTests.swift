import BackupStorage
import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import Backup

/// `backup load` adds plain secondary keys after the data: the target's tables come out exactly as the source's
/// (keys, their order, foreign keys, full-text keys, a key on the AUTO_INCREMENT column), by `mariadb-dump`.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct DeferredIndexLoadTests {
    @Test func tablesLoadedWithKeysAddedAfterTheDataEqualTheSource() async throws {
        try await SandboxInstance.withInstance(named: "bk-keys") { source in
            try await shell(
                """
                \(source.client) <<'SQL'
                CREATE DATABASE shop;
                USE shop;
                CREATE TABLE items (id INT PRIMARY KEY, a INT, b VARCHAR(40), c DATE, UNIQUE KEY ub (b), KEY ka (a),
                  KEY kac (a, c), FULLTEXT KEY fb (b), KEY kc (c DESC)) ENGINE=InnoDB;
                INSERT INTO items SELECT seq, seq % 97, CONCAT('item ', seq), '2024-01-01' + INTERVAL seq % 400 DAY
                  FROM seq_1_to_20000;
                CREATE TABLE parent (id INT PRIMARY KEY, tag INT, KEY (tag)) ENGINE=InnoDB;
                CREATE TABLE child (id INT PRIMARY KEY, parent INT, n INT, KEY (n),
                  CONSTRAINT fk FOREIGN KEY (parent) REFERENCES parent (id)) ENGINE=InnoDB;
                INSERT INTO parent SELECT seq, seq % 5 FROM seq_1_to_100;
                INSERT INTO child SELECT seq, 1 + seq % 100, seq % 7 FROM seq_1_to_1000;
                CREATE TABLE counters (id INT AUTO_INCREMENT, k INT NOT NULL, v INT, PRIMARY KEY (k), KEY (id), KEY (v))
                  ENGINE=InnoDB;
                INSERT INTO counters (k, v) SELECT seq, seq % 3 FROM seq_1_to_500;
                SQL
                """
            )
            let catalog = try temporaryDirectory("keys")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let manifest = try await BackupCreator.create(
                options: BackupCreateOptions(
                    catalog: DirectoryBackupStore(path: catalog), threads: 2, databases: ["shop"], rewindVersion: "test"
                ),
                configuration: source.configuration(),
                logger: testLogger
            )
            let expected = try await source.dump("shop")
            try await SandboxInstance.withInstance(named: "bk-keys-dst") { target in
                let steps = Steps()
                _ = try await BackupLoader.load(
                    options: BackupLoadOptions(
                        backup: DirectoryBackupStore(path: catalog + "/" + manifest.id), threads: 2),
                    configuration: target.configuration(),
                    logger: testLogger,
                    report: { event in if case .step(let text) = event { steps.append(text) } }
                )
                // items (ka, kac, kc) and counters (v) wait for their data; parent and child keep theirs.
                #expect(steps.all.contains("secondary keys added after the data (2 tables)"), "\(steps.all)")
                let loaded = try await target.dump("shop")
                #expect(loaded == expected)
            }
        }
    }
}

/// Step messages reported from the load's tasks.
final class Steps: @unchecked Sendable {
    // `texts` is only touched under `lock`.
    private let lock = NSLock()
    private var texts: [String] = []

    func append(_ text: String) { self.lock.withLock { self.texts.append(text) } }
    var all: [String] { self.lock.withLock { self.texts } }
}
