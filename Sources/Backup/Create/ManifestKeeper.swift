import BackupStorage
import Foundation

/// Writes a running backup's manifest: every save (and heartbeat) replaces it, strictly in the order they were
/// asked for, so a late heartbeat can never put an `incomplete` manifest back over the `complete` one. Nothing is
/// written before ``reserve(_:)`` created the manifest (`replacing: false`), which reserves the backup's id in the
/// store: a backup that finds the id taken never touches the other one's manifest.
actor ManifestKeeper {
    let store: any BackupStore
    private var latest: BackupManifest?
    private var lastWrite: Task<Void, any Error>?
    private var isFinal = false

    init(store: any BackupStore) {
        self.store = store
    }

    /// Creates the manifest; fails when the store has one already.
    func reserve(_ manifest: BackupManifest) async throws {
        try await self.store.write(
            [UInt8](try manifest.encoded()) + [0x0A],
            to: BackupManifest.fileName,
            replacing: false
        )
        self.latest = manifest
    }

    /// Saves `manifest`; after a `complete` one, heartbeats and failures change nothing.
    func save(_ manifest: BackupManifest) async throws {
        precondition(self.latest != nil, "ManifestKeeper: reserve the manifest before saving it")
        self.latest = manifest
        if manifest.state == .complete { self.isFinal = true }
        try await self.write(manifest)
    }

    /// Renews the heartbeat of the last saved manifest (best effort: the next beat tries again).
    func beat(at date: Date) async {
        guard !self.isFinal, var manifest = self.latest else { return }
        manifest.writer?.heartbeatAt = date
        self.latest = manifest
        try? await self.write(manifest)
    }

    /// Records why the backup stopped in the last saved manifest, which stays `incomplete`.
    func fail(_ reason: String, at date: Date) async {
        guard !self.isFinal, var manifest = self.latest else { return }
        manifest.error = reason
        manifest.finishedAt = date
        self.latest = manifest
        try? await self.write(manifest)
    }

    /// Queues a write behind the previous one. The task runs on this actor (it inherits its isolation) and is
    /// always awaited here, by this call or, through the chain, by the next one.
    private func write(_ manifest: BackupManifest) async throws {
        let bytes = [UInt8](try manifest.encoded()) + [0x0A]
        let previous = self.lastWrite
        let store = self.store
        let task = Task {
            _ = await previous?.result
            try await store.write(bytes, to: BackupManifest.fileName, replacing: true)
        }
        self.lastWrite = task
        try await task.value
    }
}
