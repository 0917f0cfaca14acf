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
    ///
    /// A `complete` manifest is written only while the backup is still there: `backup prune` removes a backup whose
    /// heartbeat stalled (a paused writer), manifest first, then its files. So its own manifest and every file of
    /// ``BackupManifest/loadOrder`` are checked right before the write, and the files again right after it (a prune
    /// that began in between): a backup that lost either is refused, and stays (or becomes again) `incomplete`.
    ///
    /// - Throws: ``BackupError/Code/removedWhileRunning`` naming the backup and what is gone.
    func save(_ manifest: BackupManifest) async throws {
        precondition(self.latest != nil, "ManifestKeeper: reserve the manifest before saving it")
        let completing = manifest.state == .complete
        if completing { try await self.checkStillThere(manifest, manifestWritten: false) }
        self.latest = manifest
        if completing { self.isFinal = true }
        try await self.write(manifest)
        if completing {
            do {
                try await self.checkStillThere(manifest, manifestWritten: true)
            } catch {
                // ``fail(_:at:)`` may write the manifest again, `incomplete`, saying why.
                self.isFinal = false
                self.latest?.state = .incomplete
                throw error
            }
        }
    }

    /// Checks that the store still holds this writer's manifest (unless it was just written) and every file the
    /// manifest names.
    private func checkStillThere(_ manifest: BackupManifest, manifestWritten: Bool) async throws {
        let removed = { (what: String) in
            BackupError(
                .removedWhileRunning,
                "\(self.store.location) was removed while this backup ran (\(what)): `rewind backup prune` removes a "
                    + "backup whose writer has not renewed its heartbeat for \(Int(BackupWriter.staleAfter / 60)) "
                    + "minutes (was this process paused, or its machine suspended?); the backup is not complete: take "
                    + "a new one"
            )
        }
        if !manifestWritten {
            guard let bytes = try await self.store.read(BackupManifest.fileName) else {
                throw removed("its \(BackupManifest.fileName) is gone")
            }
            let stored = try? BackupManifest.decoder.decode(BackupManifest.self, from: Data(bytes))
            let ours = self.latest?.writer
            guard let stored, stored.id == manifest.id, stored.state == .incomplete,
                stored.writer?.host == ours?.host, stored.writer?.pid == ours?.pid
            else { throw removed("its \(BackupManifest.fileName) is another writer's now") }
        }
        let present = try await self.store.files()
        let missing = manifest.loadOrder.filter { present[$0] == nil }
        if let first = missing.first {
            throw removed("\(missing.count) of its \(manifest.loadOrder.count) files are gone, first \(first)")
        }
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
