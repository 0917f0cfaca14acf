import BackupStorage
import BinlogArchive
import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import Backup

/// Acceptance 4: an archive with a file purged before it was archived, between two backups: `window` reports the
/// break and the two windows around it.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct WindowIntegrationTests {
    @Test(arguments: TestBackupStore.available)
    func aPurgedFileSplitsTheWindow(store kind: TestBackupStore) async throws {
        try await SandboxInstance.withInstance(named: "bk-window") { source in
            try await kind.withCatalog("window-backups") { catalog, _ in
                let archive = try temporaryDirectory("window-binlogs")
                defer { try? FileManager.default.removeItem(atPath: archive) }
                let configuration = source.configuration()
                _ = try await source.root(
                    "CREATE DATABASE w; CREATE TABLE w.t (id INT PRIMARY KEY); INSERT INTO w.t VALUES (1)")
                let options = BackupCreateOptions(catalog: catalog, threads: 1, databases: ["w"], rewindVersion: "test")
                let first = try await BackupCreator.create(
                    options: options, configuration: configuration, logger: testLogger)
                let archiver = { () async throws -> ArchiveSummary in
                    try await BinlogArchiver(
                        configuration: configuration,
                        options: ArchiveOptions(directory: archive),
                        logger: testLogger
                    ).run { _ in }
                }
                _ = try await archiver()
                _ = try await source.root("INSERT INTO w.t VALUES (2); FLUSH BINARY LOGS")
                let purged = try await source.root("SHOW MASTER STATUS").split(separator: "\t").first.map(String.init)
                _ = try await source.root("INSERT INTO w.t VALUES (3); FLUSH BINARY LOGS; INSERT INTO w.t VALUES (4)")
                let kept = try await source.root("SHOW MASTER STATUS").split(separator: "\t").first.map(String.init)
                _ = try await source.root("PURGE BINARY LOGS TO '\(kept ?? "")'")
                try await Task.sleep(for: .seconds(1))  // the second backup's id is the next second
                let second = try await BackupCreator.create(
                    options: options, configuration: configuration, logger: testLogger)
                _ = try await source.root("INSERT INTO w.t VALUES (5)")
                _ = try? await archiver()

                let window = try await RecoveryWindow.compute(backups: catalog, binlogs: archive)
                #expect(window.windows.map(\.backupID) == [first.id, second.id])
                let broken = try #require(window.windows[0].breakInfo)
                #expect(broken.files.contains(purged ?? "?") || broken.kind == "archive-gap")
                #expect(window.windows[0].to != nil)
                #expect(window.windows[1].breakInfo == nil)
                #expect(window.windows[1].toBinlog?.file == kept)
                #expect(window.breaks.count == 1)
                // The manifest keeps milliseconds.
                let earliest = try #require(window.earliest)
                #expect(abs(earliest.timeIntervalSince(try #require(first.snapshotAt))) < 0.001)
                #expect(window.latest != nil && window.latest! > earliest)
            }
        }
    }
}
