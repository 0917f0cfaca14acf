import BackupStorage
import Foundation
import RewindTestSupport
import Testing

@testable import Backup

/// A writer paused past the heartbeat's limit (a stopped process, a suspended machine) whose backup `backup prune`
/// removed: when it goes on, it must not write a `complete` manifest naming files that are gone. The pause is the
/// test itself (the writer's next call comes when the test makes it), the clock is prune's `now`: no sleeps.
@Suite struct PausedWriterTests {
    static let chunk = "data/db/t.00001.sql.zst"

    /// A complete backup, and after it the paused writer's: reserved, one chunk stored, heartbeat at 2000 s.
    static func pausedBackup(
        in catalog: any BackupStore,
        wrap: (any BackupStore) -> any BackupStore = { $0 }
    ) async throws -> (keeper: ManifestKeeper, manifest: BackupManifest, kept: BackupManifest) {
        let kept = try await writeManifest(catalog: catalog, time: 1000, file: "mysql-bin.000001")
        let writer = BackupWriter(host: "paused-host", pid: 4242, heartbeatAt: Date(timeIntervalSince1970: 2000))
        var manifest = makeManifest(time: 2000, file: "mysql-bin.000001", state: .incomplete, writer: writer)
        let store = wrap(catalog.descending(into: manifest.id))
        let keeper = ManifestKeeper(store: store)
        try await keeper.reserve(manifest)
        try await store.write("rows", to: Self.chunk, replacing: false)
        manifest.loadOrder = [Self.chunk]
        return (keeper, manifest, kept)
    }

    /// `backup prune` on another host once the paused writer's heartbeat is stale.
    static func pruneStale(_ catalog: any BackupStore) async throws -> [String] {
        try await BackupCatalog.prune(
            catalog,
            keep: 1,
            keepWithin: nil,
            binlogs: nil,
            dryRun: false,
            now: Date(timeIntervalSince1970: 2000 + BackupWriter.staleAfter + 60),
            host: "prune-host",
            processExists: { _ in true }
        ).removedBackups
    }

    @Test(arguments: TestBackupStore.available)
    func aBackupPrunedWhilePausedIsNeverCompleted(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("paused") { catalog, _ in
            let (keeper, manifest, kept) = try await Self.pausedBackup(in: catalog)
            #expect(try await Self.pruneStale(catalog) == [manifest.id])
            // The writer goes on.
            var complete = manifest
            complete.state = .complete
            let error = await #expect(throws: BackupError.self) { try await keeper.save(complete) }
            #expect(error?.code == .removedWhileRunning)
            #expect(error?.message.contains("was removed while this backup ran") == true)
            #expect(error?.message.contains("manifest.json is gone") == true)
            // Nothing written back: the catalog holds the kept backup only.
            #expect(try await BackupCatalog.list(catalog).map(\.id) == [kept.id])
            await keeper.fail("\(error!)", at: Date(timeIntervalSince1970: 99_999))
            #expect(try await BackupCatalog.list(catalog).map(\.state) == ["complete", "incomplete"])
        }
    }

    /// The prune begins after the writer's check and before its write: the write puts a `complete` manifest back
    /// over files that are gone, which the check after the write catches; the manifest ends `incomplete`, saying why.
    @Test(arguments: TestBackupStore.available)
    func aPruneBetweenTheCheckAndTheWriteIsCaught(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("paused-race") { catalog, _ in
            var hooked: HookedBackupStore?
            let (keeper, manifest, _) = try await Self.pausedBackup(in: catalog) { store in
                hooked = HookedBackupStore(store, beforeWriting: BackupManifest.fileName)
                return hooked!
            }
            hooked!.arm {
                let removed = try await Self.pruneStale(catalog)
                #expect(removed == [manifest.id])
            }
            var complete = manifest
            complete.state = .complete
            let error = await #expect(throws: BackupError.self) { try await keeper.save(complete) }
            #expect(error?.code == .removedWhileRunning)
            #expect(error?.message.contains("1 of its 1 files are gone, first \(Self.chunk)") == true)
            await keeper.fail("\(error!)", at: Date(timeIntervalSince1970: 99_999))
            let store = catalog.descending(into: manifest.id)
            let stored = try await BackupManifest.read(from: store)
            #expect(stored.state == .incomplete)
            #expect(stored.error?.contains("was removed while this backup ran") == true)
            await #expect(throws: BackupError.self) { try await BackupManifest.readComplete(from: store) }
        }
    }

    /// Unpaused, the same writer completes: the checks refuse nothing that is there.
    @Test(arguments: TestBackupStore.available)
    func aWriterThatWasNotPrunedCompletes(store kind: TestBackupStore) async throws {
        try await kind.withCatalog("not-paused") { catalog, _ in
            let (keeper, manifest, _) = try await Self.pausedBackup(in: catalog)
            var complete = manifest
            complete.state = .complete
            try await keeper.save(complete)
            let stored = try await BackupManifest.readComplete(from: catalog.descending(into: manifest.id))
            #expect(stored.loadOrder == [Self.chunk])
        }
    }
}
