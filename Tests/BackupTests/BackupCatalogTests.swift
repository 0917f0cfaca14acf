import BackupStorage
import BinlogArchive
import Foundation
import RewindTestSupport
import Testing

@testable import Backup

@Suite struct BackupCatalogTests {
    /// The same test for both stores: the backups in a directory and the archive in a directory, or both in S3.
    @Test(arguments: TestBackupStore.available)
    func pruneKeepsTheNewestAndRemovesWhatNoBackupNeeds(store kind: TestBackupStore) async throws {
        let files = TestArchiveFiles((1...3).map { ("mysql-bin.00000\($0)", true) })
        try await kind.withArchive("prune-binlogs", files) { archive, left in
            try await kind.withCatalog("prune") { catalog, _ in
                let old = try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000001")
                try await catalog.descending(into: old.id).write("x", to: "data/db/t.00001.sql.zst", replacing: false)
                let middle = try await writeManifest(catalog: catalog, time: 2000, file: "mysql-bin.000002")
                let newest = try await writeManifest(catalog: catalog, time: 3000, file: "mysql-bin.000003")
                let running = try await writeManifest(
                    catalog: catalog,
                    time: 4000,
                    file: "mysql-bin.000003",
                    state: .incomplete
                )

                let dry = try await BackupCatalog.prune(
                    catalog,
                    keep: 2,
                    keepWithin: nil,
                    binlogs: archive,
                    dryRun: true
                )
                #expect(dry.removedBackups == [old.id])
                #expect(dry.removedBinlogs == ["mysql-bin.000001"])
                #expect(try await BackupCatalog.list(catalog).map(\.id) == [old.id, middle.id, newest.id, running.id])
                #expect(try await left().files == files.files.map(\.name))

                let plan = try await BackupCatalog.prune(
                    catalog,
                    keep: 1,
                    keepWithin: nil,
                    binlogs: archive,
                    dryRun: false
                )
                #expect(plan.removedBackups == [old.id, middle.id])
                #expect(plan.keptBackups == [newest.id, running.id])
                #expect(plan.removedBinlogs == ["mysql-bin.000001", "mysql-bin.000002"])
                #expect(try await BackupCatalog.list(catalog).map(\.id) == [newest.id, running.id])
                #expect(
                    try await catalog.files().keys.sorted() == [newest.id, running.id].map { $0 + "/manifest.json" })
                let after = try await left()
                #expect(after.files == ["mysql-bin.000003"])
                #expect(after.index == ["mysql-bin.000003"])

                // Run again: nothing more goes.
                let again = try await BackupCatalog.prune(
                    catalog, keep: 1, keepWithin: nil, binlogs: archive, dryRun: false)
                #expect(again.removedBinlogs.isEmpty)
                #expect(try await left().files == ["mysql-bin.000003"])
            }
        }
    }

    /// A backup newer than everything archived (the archive lags): the finished files before it go, never the
    /// open one the archiver is still writing.
    @Test(arguments: TestBackupStore.available)
    func pruneNeverRemovesTheOpenFile(store kind: TestBackupStore) async throws {
        let files = TestArchiveFiles([
            ("mysql-bin.000001", true), ("mysql-bin.000002", true), ("mysql-bin.000003", false),
        ])
        try await kind.withArchive("prune-open", files) { archive, left in
            try await kind.withCatalog("prune-open") { catalog, _ in
                try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000005")
                let plan = try await BackupCatalog.prune(
                    catalog, keep: 1, keepWithin: nil, binlogs: archive, dryRun: false)
                #expect(plan.removedBinlogs == ["mysql-bin.000001", "mysql-bin.000002"])
                let after = try await left()
                #expect(after.files == ["mysql-bin.000003"])
                #expect(after.index == ["mysql-bin.000003"])
            }
        }
    }

    @Test(arguments: TestBackupStore.available)
    func keepWithinNeverRemovesTheNewestComplete(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("prune-within") { catalog, _ in
            let only = try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000001")
            let plan = try await BackupCatalog.prune(
                catalog,
                keep: nil,
                keepWithin: 60,
                binlogs: nil,
                dryRun: false,
                now: Date(timeIntervalSince1970: 1_000_000)
            )
            #expect(plan.removedBackups.isEmpty)
            #expect(plan.keptBackups == [only.id])
        }
    }

    /// An incomplete backup newer than the newest complete one is kept while its writer may run, and removed once
    /// it is known gone: its process no longer exists on this host, or its heartbeat is stale.
    @Test(arguments: TestBackupStore.available)
    func aKilledBackupIsRemovedAndARunningOneKept(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("prune-killed") { catalog, _ in
            let now = Date(timeIntervalSince1970: 100_000)
            let beat = now.addingTimeInterval(-60)
            let complete = try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000001")
            // Incomplete backups after the complete one, by their writers: (host, pid, last heartbeat).
            var incomplete: [BackupManifest] = []
            let writers = [
                ("here", 11, beat), ("here", 12, beat), ("there", 11, beat),
                ("there", 12, now.addingTimeInterval(-BackupWriter.staleAfter)),
            ]
            for (index, writer) in writers.enumerated() {
                incomplete.append(
                    try await writeManifest(
                        catalog: catalog, time: TimeInterval(2000 + 1000 * index), file: "mysql-bin.000001",
                        state: .incomplete,
                        writer: BackupWriter(host: writer.0, pid: Int32(writer.1), heartbeatAt: writer.2)))
            }
            let (killedHere, runningHere, runningThere, staleThere) =
                (incomplete[0], incomplete[1], incomplete[2], incomplete[3])
            let plan = try await BackupCatalog.prune(
                catalog,
                keep: 1,
                keepWithin: nil,
                binlogs: nil,
                dryRun: false,
                now: now,
                host: "here",
                processExists: { $0 == 12 }
            )
            #expect(plan.removedBackups == [killedHere.id, staleThere.id])
            #expect(plan.keptBackups == [complete.id, runningHere.id, runningThere.id])
            #expect(try await BackupCatalog.list(catalog).map(\.id) == [complete.id, runningHere.id, runningThere.id])
        }
    }

    @Test(arguments: TestBackupStore.available)
    func listShowsStates(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("list") { catalog, _ in
            try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000001", state: .incomplete)
            try await catalog.write("x", to: "20300101T000000Z/data/a.sql.zst", replacing: false)
            try await catalog.write("x", to: "not-a-backup/x", replacing: false)
            let entries = try await BackupCatalog.list(catalog)
            #expect(entries.map(\.state) == ["incomplete", "unreadable"])
            #expect(entries.last?.sizeBytes == 1)
        }
    }
}
