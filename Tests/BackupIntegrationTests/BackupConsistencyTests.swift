import BackupStorage
import Foundation
import MySQLWire
import RewindTestSupport
import Synchronization
import Testing

@testable import Backup

/// What the workload tasks share with the test.
final class WorkloadState: Sendable {
    let stop = Atomic<Bool>(false)
    let committed = Atomic<Int>(0)
}

/// Acceptance 2: transfers keep committing while the backup runs; the loaded copy keeps every invariant (the total,
/// and each balance equal to the sum of its ledger rows), and replaying the binlog from the manifest's coordinates
/// with `mariadb-binlog | mariadb` reaches exactly the source's final rows.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct BackupConsistencyTests {
    static let accounts = 200

    @Test func aBackupUnderTransfersIsASnapshotAndReplaysToTheEnd() async throws {
        try await SandboxInstance.withInstance(named: "bk-bank") { source in
            try await SandboxInstance.withInstance(named: "bk-bank-dst") { target in
                try await shell(
                    """
                    \(source.client) <<'SQL'
                    CREATE DATABASE bank;
                    USE bank;
                    CREATE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL);
                    CREATE TABLE bank.ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, account INT NOT NULL,
                      amount BIGINT NOT NULL, KEY (account));
                    CREATE TABLE bank.inserts (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(200));
                    INSERT INTO bank.accounts SELECT seq, 1000 FROM seq_1_to_\(Self.accounts);
                    INSERT INTO bank.ledger (account, amount) SELECT seq, 1000 FROM seq_1_to_\(Self.accounts);
                    INSERT INTO bank.inserts (payload) SELECT REPEAT('p', 150) FROM seq_1_to_100000;
                    SQL
                    """
                )
                let state = WorkloadState()
                let configuration = source.configuration()
                let workload = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<3 {
                            group.addTask {
                                try await MySQLConnection.withConnection(
                                    configuration: configuration, logger: testLogger
                                ) {
                                    connection in
                                    var generator = SplitMix64(seed: UInt64(worker + 1))
                                    while !state.stop.load(ordering: .relaxed) {
                                        let from = Int(generator.next() % UInt64(Self.accounts)) + 1
                                        let to = Int(generator.next() % UInt64(Self.accounts)) + 1
                                        let amount = Int(generator.next() % 50) + 1
                                        _ = try await connection.query(
                                            """
                                            START TRANSACTION; \
                                            UPDATE bank.accounts SET balance = balance - \(amount) WHERE id = \(from); \
                                            UPDATE bank.accounts SET balance = balance + \(amount) WHERE id = \(to); \
                                            INSERT INTO bank.ledger (account, amount) VALUES (\(from), -\(amount)), (\(to), \(amount)); \
                                            INSERT INTO bank.inserts (payload) VALUES ('w\(worker)'); \
                                            COMMIT
                                            """
                                        )
                                        state.committed.add(1, ordering: .relaxed)
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                while state.committed.load(ordering: .relaxed) < 50 { try await Task.sleep(for: .milliseconds(20)) }
                let before = state.committed.load(ordering: .relaxed)
                let catalog = try temporaryDirectory("bank")
                defer { try? FileManager.default.removeItem(atPath: catalog) }
                let manifest = try await BackupCreator.create(
                    options: BackupCreateOptions(
                        catalog: DirectoryBackupStore(path: catalog),
                        threads: 4,
                        databases: ["bank"],
                        chunkBytes: 1 << 20,
                        rewindVersion: "test"
                    ),
                    configuration: configuration,
                    logger: testLogger
                )
                let during = state.committed.load(ordering: .relaxed) - before
                while state.committed.load(ordering: .relaxed) < before + during + 100 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                state.stop.store(true, ordering: .relaxed)
                try await workload.value
                #expect(during > 0, "transfers kept committing while the backup ran")
                let coordinates = try #require(manifest.binlog)
                #expect(manifest.lockHeldMS == 0)

                _ = try await BackupLoader.load(
                    options: BackupLoadOptions(
                        backup: DirectoryBackupStore(path: catalog + "/" + manifest.id), threads: 4),
                    configuration: target.configuration(),
                    logger: testLogger
                )
                #expect(try await target.root("SELECT SUM(balance) FROM bank.accounts") == "\(Self.accounts * 1000)\n")
                #expect(
                    try await target.root(
                        """
                        SELECT COUNT(*) FROM bank.accounts a \
                        WHERE a.balance <> (SELECT SUM(amount) FROM bank.ledger l WHERE l.account = a.id)
                        """
                    ) == "0\n"
                )

                // The independent replayer: mariadb-binlog from the manifest's coordinates, piped into the target.
                let files = try await source.root("SHOW BINARY LOGS").split(separator: "\n")
                    .compactMap { $0.split(separator: "\t").first.map(String.init) }
                    .filter { $0 >= coordinates.file }
                #expect(files.first == coordinates.file)
                let paths = files.map { source.binlogDirectory + "/" + $0 }.joined(separator: " ")
                try await shell(
                    "mariadb-binlog --start-position=\(coordinates.position) \(paths) | \(target.client)"
                )
                let expected = try await source.dump("bank")
                #expect(try await target.dump("bank") == expected)
                #expect(try await source.root("SELECT COUNT(*) FROM bank.ledger") != "\(Self.accounts)\n")
            }
        }
    }
}
