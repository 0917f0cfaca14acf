import Foundation
import NIOCore
import ObjectStorage

/// Prunes an archive in S3 (``S3ArchiveLayout``) as a directory is pruned: the finished files (those with a
/// completion manifest) before the oldest one needed leave the index, then the bucket. Never a file without a
/// completion manifest (the open one, which an archiver may be extending), nor the newest file of a server.
///
/// Each file goes in three steps: a marker (``S3PruneMarker``), which makes every reader take the file as gone;
/// every other object of the file (completion manifest, segment manifests, segments); the marker last. A prune cut
/// short (killed, a failed DELETE, an answer lost) leaves whole files or marked ones, which the next prune finishes
/// whatever its `--keep`; a DELETE is idempotent, so retrying one whose answer was lost is harmless.
package struct S3ArchivePruner: ArchivePruning {
    let client: S3Client
    let layout: S3ArchiveLayout
    let now: @Sendable () -> Date
    /// Called after each object of a file is deleted, with its key (tests stop a prune half-way here).
    let afterDelete: @Sendable (String) async throws -> Void

    package init(
        location: S3Location,
        client: S3Client,
        now: @escaping @Sendable () -> Date = { Date() },
        afterDelete: @escaping @Sendable (String) async throws -> Void = { _ in }
    ) {
        self.client = client
        self.layout = S3ArchiveLayout(location: location)
        self.now = now
        self.afterDelete = afterDelete
    }

    package var location: String { self.layout.location.description }

    private var bucket: String { self.layout.location.bucket }

    package func prune(before oldest: BinlogFileName, dryRun: Bool) async throws -> [String] {
        try await self.client.headBucket(self.bucket)
        let listing = S3ArchiveListing(
            try await self.client.listObjects(bucket: self.bucket, prefix: self.layout.binlogsPrefix),
            layout: self.layout
        )
        var doomed: [(serverID: UInt32, name: BinlogFileName, marked: Bool)] = []
        for (serverID, files) in listing.pruning {
            for name in files.keys.compactMap(BinlogFileName.init) { doomed.append((serverID, name, true)) }
        }
        for (serverID, files) in listing.files {
            let newest = files.keys.compactMap(BinlogFileName.init).max()
            for (name, file) in files where file.hasCompletion {
                guard let parsed = BinlogFileName(name), parsed.base == oldest.base, parsed < oldest, parsed != newest
                else { continue }
                doomed.append((serverID, parsed, false))
            }
        }
        doomed.sort { ($0.name, $0.serverID) < ($1.name, $1.serverID) }
        let names = doomed.map(\.name.name)
        guard !dryRun, !doomed.isEmpty else { return names }
        try await self.dropFromIndex(Set(names))
        for file in doomed {
            try await self.remove(file.name.name, serverID: file.serverID, marked: file.marked, before: oldest)
        }
        return names
    }

    /// Drops the files' entries from the index (as a directory prune does). A running archiver writes its own index
    /// back at its next save, entries and all; a store opened later drops finished entries whose objects are gone.
    private func dropFromIndex(_ names: Set<String>) async throws {
        let key = self.layout.indexKey
        let bytes: ByteBuffer
        do {
            bytes = try await self.client.getObject(bucket: self.bucket, key: key, maxBytes: 64 << 20)
        } catch let error as S3Error where error.code == .noSuchKey {
            return
        }
        var index = try S3ArchiveObjects.decode(ArchiveIndex.self, bytes, key: "s3://\(self.bucket)/\(key)")
        let before = index.files.count
        index.files.removeAll { names.contains($0.name) }
        guard index.files.count != before else { return }
        index.updatedAt = self.now()
        try await self.client.putObject(
            bucket: self.bucket,
            key: key,
            body: ByteBuffer(bytes: try S3ArchiveObjects.encode(index))
        )
    }

    private func remove(_ name: String, serverID: UInt32, marked: Bool, before oldest: BinlogFileName) async throws {
        let marker = self.layout.pruningKey(serverID: serverID, file: name)
        if !marked {
            let info = ProcessInfo.processInfo
            let content = S3PruneMarker(
                file: name,
                before: oldest.name,
                startedAt: self.now(),
                by: "rewind backup prune (pid \(info.processIdentifier) on \(info.hostName))"
            )
            try await self.client.putObject(
                bucket: self.bucket,
                key: marker,
                body: ByteBuffer(bytes: try S3ArchiveObjects.encode(content)),
                contentType: "application/json"
            )
        }
        // Listed again after the marker: nothing stored before it is left behind.
        let prefix = self.layout.filePrefix(serverID: serverID, file: name)
        for object in try await self.client.listObjects(bucket: self.bucket, prefix: prefix) where object.key != marker
        {
            try await self.client.deleteObject(bucket: self.bucket, key: object.key)
            try await self.afterDelete(object.key)
        }
        try await self.client.deleteObject(bucket: self.bucket, key: marker)
        try await self.afterDelete(marker)
    }
}
