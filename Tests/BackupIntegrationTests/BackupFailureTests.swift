import Foundation
import MySQLWire
import RewindTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Backup

/// Acceptance 3: a server killed mid-backup, a damaged chunk, a target that is not empty, a directory that is not
/// writable, a user without the privileges.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct BackupFailureTests {
    @Test func badInputGivesClearErrors() async throws {
        try await SandboxInstance.withInstance(named: "bk-bad") { source in
            try await shell(
                """
                \(source.client) <<'SQL'
                CREATE DATABASE shop;
                USE shop;
                CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(200));
                INSERT INTO shop.orders SELECT seq, REPEAT('o', 100) FROM seq_1_to_20000;
                CREATE USER weak@'%' IDENTIFIED BY '';
                GRANT SELECT ON shop.* TO weak@'%';
                SQL
                """
            )
            let catalog = try temporaryDirectory("bad")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let options = BackupCreateOptions(directory: catalog, threads: 2, databases: ["shop"], rewindVersion: "test")
            let manifest = try await BackupCreator.create(
                options: options,
                configuration: source.configuration(),
                logger: testLogger
            )
            let backup = catalog + "/" + manifest.id

            // A target that already holds the tables.
            let notEmpty = await #expect(throws: BackupError.self) {
                try await BackupLoader.load(
                    options: BackupLoadOptions(backupDirectory: backup),
                    configuration: source.configuration(),
                    logger: testLogger
                )
            }
            #expect(notEmpty?.code == .targetNotEmpty)
            #expect(notEmpty?.message.contains("shop.orders") == true)
            #expect(notEmpty?.message.contains("--force") == true)

            // A damaged chunk: verify and load name the file.
            let chunk = try #require(manifest.tables.first?.chunks.first)
            let path = backup + "/" + chunk.file
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count / 2] ^= 0x55
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let verify = #expect(throws: BackupError.self) { try BackupVerifier.verify(backupDirectory: backup) }
            #expect(verify?.code == .damagedChunk)
            #expect(verify?.message.contains(chunk.file) == true)
            try await SandboxInstance.withInstance(named: "bk-bad-dst") { target in
                let load = await #expect(throws: BackupError.self) {
                    try await BackupLoader.load(
                        options: BackupLoadOptions(backupDirectory: backup),
                        configuration: target.configuration(),
                        logger: testLogger
                    )
                }
                #expect(load?.code == .damagedChunk)
                #expect(load?.message.contains(chunk.file) == true)
            }

            // A directory that cannot be written (root may write anywhere in /tmp; /proc refuses everyone).
            let unwritable = await #expect(throws: BackupError.self) {
                var options = options
                options.directory = "/proc/rewind-backups"
                return try await BackupCreator.create(
                    options: options,
                    configuration: source.configuration(),
                    logger: testLogger
                )
            }
            #expect(unwritable?.message.contains("/proc/rewind-backups") == true)

            // A user without RELOAD: the message names the privilege.
            var weak = source.configuration(password: "")
            weak.username = "weak"
            let denied = await #expect(throws: BackupError.self) {
                try await BackupCreator.create(options: options, configuration: weak, logger: testLogger)
            }
            #expect(denied?.code == .privilege)
            #expect(denied?.message.contains("RELOAD") == true)
        }
    }

    @Test func aServerKilledMidBackupLeavesItIncomplete() async throws {
        try await SandboxInstance.withInstance(named: "bk-kill") { source in
            try await shell(
                """
                \(source.client) <<'SQL'
                CREATE DATABASE big;
                USE big;
                CREATE TABLE big.rows (id INT PRIMARY KEY, note VARCHAR(250));
                INSERT INTO big.rows SELECT seq, REPEAT('k', 240) FROM seq_1_to_400000;
                SQL
                """
            )
            let catalog = try temporaryDirectory("kill")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let pidText = try String(contentsOfFile: source.directory + "/pid", encoding: .utf8)
            let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
            let error = await #expect(throws: BackupError.self) {
                try await BackupCreator.create(
                    options: BackupCreateOptions(
                        directory: catalog,
                        threads: 2,
                        databases: ["big"],
                        chunkBytes: 4 << 20,
                        rewindVersion: "test"
                    ),
                    configuration: source.configuration(),
                    logger: testLogger,
                    report: { event in
                        if case .chunkDone = event { kill(pid, SIGKILL) }
                    }
                )
            }
            #expect(error != nil)
            let ids = try FileManager.default.contentsOfDirectory(atPath: catalog)
            #expect(ids.count == 1)
            let manifest = try BackupManifest.read(backupDirectory: catalog + "/" + ids[0])
            #expect(manifest.state == .incomplete)
            #expect(manifest.error != nil)
            #expect(throws: BackupError.self) { try BackupVerifier.verify(backupDirectory: catalog + "/" + ids[0]) }
        }
    }
}
