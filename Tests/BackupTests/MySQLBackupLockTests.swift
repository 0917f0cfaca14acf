import BackupStorage
import Foundation
import Logging
import Testing

@testable import Backup

/// `backup create` against a scripted MySQL 8 server: the lock protocol statement by statement, the workers'
/// snapshots under the read lock, the lock released, and the retry and refusal when the read lock times out.
@Suite struct MySQLBackupLockTests {
    static let logger = Logger(label: "rewind.tests.backup.mysql")
    /// The statements of the lock protocol, as they must reach the server.
    static let lockStatements: Set<String> = [
        "LOCK INSTANCE FOR BACKUP", "SET SESSION lock_wait_timeout = 3", "FLUSH TABLES WITH READ LOCK",
        "SHOW BINARY LOG STATUS", "SHOW MASTER STATUS", "SELECT @@GLOBAL.gtid_executed",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT", "UNLOCK TABLES",
        "SET SESSION lock_wait_timeout = @@GLOBAL.lock_wait_timeout", "UNLOCK INSTANCE", "COMMIT",
        "BACKUP STAGE START", "BACKUP STAGE BLOCK_DDL", "BACKUP STAGE END",
    ]

    struct Run {
        var manifest: BackupManifest?
        var error: BackupError?
        var statements: [ScriptedBackupServer.Statement]
        var warnings: [String]
        var locksLeft: (readLock: Bool, backupLock: Bool)
        var directory: String
    }

    static func backup(
        _ behaviour: ScriptedBackupServer.Behaviour,
        threads: Int = 2,
        policy: ReadLockPolicy = ReadLockPolicy(waitSeconds: 3, attempts: 3, backoff: .milliseconds(1))
    ) async throws -> Run {
        let server = try ScriptedBackupServer(behaviour)
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let warnings = Warnings()
        var manifest: BackupManifest?
        var failure: BackupError?
        do {
            manifest = try await BackupCreator.create(
                options: BackupCreateOptions(
                    catalog: DirectoryBackupStore(path: directory.path),
                    threads: threads,
                    readLock: policy,
                    rewindVersion: "test"
                ),
                configuration: server.configuration,
                logger: Self.logger,
                report: { event in if case .warning(let text) = event { warnings.append(text) } }
            )
        } catch let error as BackupError {
            failure = error
        }
        return Run(
            manifest: manifest,
            error: failure,
            statements: server.statements,
            warnings: warnings.all,
            locksLeft: await server.locksLeftAfterClose(),
            directory: directory.path
        )
    }

    @Test(arguments: [("8.4.3", "SHOW BINARY LOG STATUS"), ("8.0.36", "SHOW MASTER STATUS")])
    func takesTheLocksInOrderAndOpensEverySnapshotUnderTheReadLock(version: String, status: String) async throws {
        let run = try await Self.backup(.init(version: version))
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let manifest = try #require(run.manifest, "\(String(describing: run.error))")

        let control = run.statements.filter { $0.connection == 0 && Self.lockStatements.contains($0.sql) }.map(\.sql)
        #expect(
            control == [
                "LOCK INSTANCE FOR BACKUP", "SET SESSION lock_wait_timeout = 3", "FLUSH TABLES WITH READ LOCK", status,
                "SELECT @@GLOBAL.gtid_executed", "UNLOCK TABLES",
                "SET SESSION lock_wait_timeout = @@GLOBAL.lock_wait_timeout", "UNLOCK INSTANCE",
            ]
        )
        for worker in 1...2 {
            let statements = run.statements.filter { $0.connection == worker }
            let sequence = statements.map(\.sql).filter { Self.lockStatements.contains($0) || $0.hasPrefix("SELECT `") }
            #expect(sequence.first == "START TRANSACTION WITH CONSISTENT SNAPSHOT", "worker \(worker): \(sequence)")
            #expect(sequence.last == "COMMIT", "worker \(worker): \(sequence)")
            let start = try #require(statements.first { $0.sql == "START TRANSACTION WITH CONSISTENT SNAPSHOT" })
            #expect(
                start.underReadLock && start.underBackupLock, "worker \(worker) opened its snapshot without the locks")
        }
        // Snapshot opens on both workers before the read lock goes; the rows are read after it (the lock is brief)
        // and under the instance lock; nothing is left locked.
        let unlock = try #require(run.statements.firstIndex { $0.sql == "UNLOCK TABLES" })
        let starts = run.statements.indices.filter { run.statements[$0].sql.hasPrefix("START TRANSACTION") }
        #expect(starts.count == 2 && starts.allSatisfy { $0 < unlock })
        let reads = run.statements.filter { $0.sql.hasPrefix("SELECT `id`") }
        #expect(reads.count == 1)
        #expect(reads.allSatisfy { !$0.underReadLock && $0.underBackupLock && $0.connection > 0 })
        let schema = try #require(run.statements.first { $0.sql.hasPrefix("SHOW CREATE TABLE") })
        #expect(schema.underBackupLock)
        #expect(!run.locksLeft.readLock && !run.locksLeft.backupLock)

        #expect(manifest.state == .complete)
        #expect(manifest.consistency == "lock-instance-for-backup+ftwrl+consistent-snapshot")
        #expect(manifest.binlog == BinlogCoordinates(file: "binlog.000042", position: 1234))
        #expect(manifest.gtidSet == ScriptedBackupServer.gtidExecuted)
        #expect(manifest.server.flavor == "mysql")
        #expect(manifest.server.serverUUID == ScriptedBackupServer.uuid)
        #expect(manifest.snapshotAttempts == 1)
        #expect(manifest.lockHeldMS >= 0 && manifest.lockHeldMS <= manifest.ddlLockHeldMS)
        #expect(manifest.tables.map(\.qualifiedName) == ["shop.accounts"])
        #expect(manifest.totalRows == 2)
        let json = String(decoding: try manifest.encoded(), as: UTF8.self)
        #expect(
            json.contains("\"lock_held_ms\"") && json.contains("\"server_uuid\" : \"\(ScriptedBackupServer.uuid)\""))
    }

    @Test func retriesATimedOutReadLockAfterAPauseAndNamesWhatItWaitedFor() async throws {
        let run = try await Self.backup(.init(readLockTimeouts: 2))
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let manifest = try #require(run.manifest, "\(String(describing: run.error))")
        #expect(manifest.snapshotAttempts == 3)
        let flushes = run.statements.filter { $0.sql == "FLUSH TABLES WITH READ LOCK" }
        #expect(flushes.count == 3)
        #expect(run.statements.filter { $0.sql.contains("information_schema.PROCESSLIST") }.count == 2)
        let lockWarnings = run.warnings.filter { $0.hasPrefix("FLUSH TABLES WITH READ LOCK") }
        #expect(lockWarnings.count == 2, "\(run.warnings)")
        #expect(lockWarnings.allSatisfy { $0.contains("connection 42") && $0.contains(ScriptedBackupServer.longQuery) })
        // No worker opened a snapshot before the lock was granted.
        let granted = try #require(run.statements.lastIndex { $0.sql == "FLUSH TABLES WITH READ LOCK" })
        #expect(
            run.statements.indices.filter { run.statements[$0].sql.hasPrefix("START TRANSACTION") }.allSatisfy {
                $0 > granted
            })
        #expect(!run.locksLeft.readLock && !run.locksLeft.backupLock)
    }

    @Test func refusesWhenTheReadLockNeverComesAndNamesTheLongRunningQuery() async throws {
        let run = try await Self.backup(.init(readLockTimeouts: 100))
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let error = try #require(run.error)
        #expect(run.manifest == nil)
        #expect(error.code == .lockTimeout)
        for part in [
            "FLUSH TABLES WITH READ LOCK", "3 attempts of 3 s", "connection 42", "app@10.0.0.5:51234",
            "600 s", ScriptedBackupServer.longQuery, "KILL 42", "--lock-wait-timeout",
        ] {
            #expect(error.message.contains(part), "\(error.message)")
        }
        #expect(run.statements.filter { $0.sql == "FLUSH TABLES WITH READ LOCK" }.count == 3)
        #expect(!run.statements.contains { $0.sql.hasPrefix("START TRANSACTION") })
        #expect(!run.locksLeft.readLock && !run.locksLeft.backupLock)
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: run.directory).first)
        let saved = try await BackupManifest.read(backupDirectory: run.directory + "/" + id)
        #expect(saved.state == .incomplete)
        #expect(saved.error?.contains("connection 42") == true)
    }

    @Test func releasesTheReadLockWhenASnapshotFails() async throws {
        let run = try await Self.backup(.init(failSnapshot: true))
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let error = try #require(run.error)
        #expect(error.message.contains("START TRANSACTION WITH CONSISTENT SNAPSHOT"))
        let control = run.statements.filter { $0.connection == 0 }.map(\.sql)
        let flush = try #require(control.firstIndex(of: "FLUSH TABLES WITH READ LOCK"))
        #expect(control[(flush + 1)...].contains("UNLOCK TABLES"))
        #expect(!run.locksLeft.readLock && !run.locksLeft.backupLock)
    }

    @Test func aMariaDBVersionKeepsTheBackupStagePath() async throws {
        let run = try await Self.backup(.init(version: "5.5.5-10.11.6-MariaDB-0+deb12u1"))
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let manifest = try #require(run.manifest, "\(String(describing: run.error))")
        #expect(manifest.consistency == "backup-stage-block-ddl+consistent-snapshot")
        #expect(manifest.lockHeldMS == 0)
        #expect(manifest.binlog == BinlogCoordinates(file: "mariadb-bin.000007", position: 4321))
        #expect(manifest.server.serverUUID == nil)
        let sql = run.statements.map(\.sql)
        #expect(sql.contains("BACKUP STAGE BLOCK_DDL") && sql.contains("BACKUP STAGE END"))
        #expect(!sql.contains("FLUSH TABLES WITH READ LOCK") && !sql.contains("LOCK INSTANCE FOR BACKUP"))
        #expect(!run.statements.contains { $0.underReadLock })
    }
}

/// Warnings reported from the backup's tasks.
final class Warnings: @unchecked Sendable {
    // `texts` is only touched under `lock`.
    private let lock = NSLock()
    private var texts: [String] = []

    func append(_ text: String) { self.lock.withLock { self.texts.append(text) } }
    var all: [String] { self.lock.withLock { self.texts } }
}
