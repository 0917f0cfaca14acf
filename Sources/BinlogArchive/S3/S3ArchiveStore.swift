import BinlogFormat
import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage

/// An archive under an S3 prefix (`s3://bucket/prefix`), laid out as ``S3ArchiveLayout`` says: each binlog file
/// is segments of whole events with their manifests, a finished file also a completion manifest; the index is
/// replaced as it changes, but everything in it is rebuilt from the manifests (and an open file's segments) when
/// it is lost or lags.
///
/// Opening takes the prefix's lease (``S3ArchiveLease``), renewed in the background until ``release()``, and aborts
/// the multipart uploads left under the prefix (see ``S3MultipartSegment``). Every call blocks the archiver's own
/// thread (``ArchiverThread``) while the request runs.
final class S3ArchiveStore: ArchiveStore {
    let objects: S3ArchiveObjects
    let syncInterval: Duration
    private let lease: S3ArchiveLease
    private let leaseLost = LeaseFlag()
    private var renewal: Task<Void, Never>?
    private var serverID: UInt32?
    private var listing: S3ArchiveListing?
    private var writtenGaps: Set<String> = []
    /// Whether the index object existed when the store was opened.
    private var hadIndex = true

    var location: String { self.objects.layout.location.description }
    var warnings: [String] { [] }

    /// Checks the bucket, takes the lease and starts renewing it.
    ///
    /// - Throws: ``S3Error`` for a missing bucket or refused credentials (naming the bucket and what to check);
    ///   ``ArchiveError`` when another archiver holds the prefix.
    /// - Parameter codec: how new segments are stored (``ObjectCodec``: zstd, AES-256-GCM), and the key that reads
    ///   the encrypted segments a resumed file already has.
    init(location: S3Location, client: S3Client, uploadInterval: Duration, codec: ObjectCodec = .plain) throws {
        self.objects = S3ArchiveObjects(client: client, layout: S3ArchiveLayout(location: location), codec: codec)
        self.syncInterval = uploadInterval
        try self.objects.headBucket()
        self.lease = try S3ArchiveLease.acquire(self.objects)
        // The parts of a long event whose archiver was killed (or lost its lease) while it went up: never an object,
        // but kept (and billed) until aborted. Best effort: a store that cannot list them loses nothing but space.
        _ = try? self.objects.abortMultipartUploads(under: self.objects.layout.binlogsPrefix)
        let (lease, layout, flag) = (self.lease, self.objects.layout, self.leaseLost)
        self.renewal = Task(executorPreference: globalConcurrentExecutor) {
            while !Task.isCancelled {
                try? await Task.sleep(for: S3ArchiveLease.renewal)
                if Task.isCancelled { return }
                // A failed renewal is tried again at the next turn; the lease lasts four of them.
                if let held = try? await S3ArchiveLease.renew(lease, client: client, layout: layout), !held {
                    flag.set()
                    return
                }
            }
        }
    }

    deinit { self.renewal?.cancel() }

    /// Stops renewing the lease and deletes it.
    func release() {
        self.renewal?.cancel()
        self.renewal = nil
        guard !self.leaseLost.isSet else { return }
        if let held = try? self.objects.getJSON(S3ArchiveLease.self, self.objects.layout.leaseKey),
            held.token == self.lease.token
        {
            try? self.objects.delete(self.objects.layout.leaseKey)
        }
    }

    func location(of name: String) -> String {
        guard let serverID else { return self.location + "binlogs/…/" + name }
        return self.objects.url(self.objects.layout.filePrefix(serverID: serverID, file: name))
    }

    // MARK: Index

    func loadIndex() throws -> ArchiveIndex {
        let layout = self.objects.layout
        var index: ArchiveIndex
        if let bytes = try self.objects.getIfPresent(layout.indexKey) {
            index = try S3ArchiveObjects.decode(ArchiveIndex.self, bytes, key: self.objects.url(layout.indexKey))
            guard index.version <= ArchiveIndex.currentVersion else {
                throw ArchiveError(
                    "index version \(index.version) is newer than this rewind understands "
                        + "(\(ArchiveIndex.currentVersion))",
                    path: self.objects.url(layout.indexKey)
                )
            }
        } else {
            index = ArchiveIndex()
            self.hadIndex = false
        }
        let listing = S3ArchiveListing(try self.objects.list(layout.binlogsPrefix), layout: layout)
        self.listing = listing
        let others = listing.serverIDs.filter { $0 != index.serverID }
        if let known = index.serverID, !others.isEmpty {
            throw ArchiveError(
                "the prefix holds the binlogs of server_id \(known) and also of \(others.map(String.init)); "
                    + "archive each server to a prefix of its own",
                path: self.location
            )
        }
        if index.serverID == nil, others.count > 1 {
            throw ArchiveError(
                "the prefix holds the binlogs of several servers (server_id \(others.map(String.init))) and no "
                    + "index says which is archived here; archive each server to a prefix of its own",
                path: self.location
            )
        }
        self.serverID = index.serverID ?? others.first
        index.serverID = self.serverID
        try self.mergeManifests(into: &index, listing: listing)
        return index
    }

    /// Adds what the manifests know and the index does not: finished files, gaps.
    private func mergeManifests(into index: inout ArchiveIndex, listing: S3ArchiveListing) throws {
        let layout = self.objects.layout
        if let serverID = self.serverID {
            for (name, file) in listing.files[serverID] ?? [:] where file.hasCompletion {
                guard index.file(named: name)?.state != .complete else { continue }
                let key = layout.completionKey(serverID: serverID, file: name)
                guard let completion = try self.objects.getJSON(S3FileCompletion.self, key) else { continue }
                if let position = index.files.firstIndex(where: { $0.name == name }) {
                    index.files[position] = completion.entry
                } else {
                    index.files.append(completion.entry)
                }
                index.server = index.server ?? completion.server
                index.serverVersion = index.serverVersion ?? completion.serverVersion
            }
            // Finished files a prune removed (`backup prune --binlogs`) while an archiver kept them in its index.
            index.files.removeAll { $0.state == .complete && listing.files[serverID]?[$0.name] == nil }
            index.files.sort {
                (BinlogFileName($0.name) ?? BinlogFileName(base: $0.name, number: 0, width: 0))
                    < (BinlogFileName($1.name) ?? BinlogFileName(base: $1.name, number: 0, width: 0))
            }
        }
        for object in try self.objects.list(layout.gapsPrefix) where object.key.hasSuffix(".json") {
            guard let gap = try self.objects.getJSON(ArchiveGap.self, object.key) else { continue }
            self.writtenGaps.insert(gap.resumedAt)
            if !index.gaps.contains(where: { $0.resumedAt == gap.resumedAt }) { index.gaps.append(gap) }
        }
        index.gaps.sort { $0.detectedAt < $1.detectedAt }
    }

    func save(_ index: ArchiveIndex) throws {
        if self.leaseLost.isSet {
            throw ArchiveError(
                "another archiver took this prefix's lease (\(self.objects.url(self.objects.layout.leaseKey))) "
                    + "while this one could not renew it; stopping",
                path: self.location
            )
        }
        self.serverID = index.serverID ?? self.serverID
        for gap in index.gaps where !self.writtenGaps.contains(gap.resumedAt) {
            try self.objects.putJSON(self.objects.layout.gapKey(resumedAt: gap.resumedAt), gap)
            self.writtenGaps.insert(gap.resumedAt)
        }
        var index = index
        index.updatedAt = Date()
        try self.objects.putJSON(self.objects.layout.indexKey, index)
    }

    func removeIfCreatedAndEmpty() {
        guard !self.hadIndex, (try? self.objects.list(self.objects.layout.binlogsPrefix).isEmpty) == true else {
            return
        }
        try? self.objects.delete(self.objects.layout.indexKey)
    }

    // MARK: Files

    func binlogFileNames() throws -> [String] {
        guard let serverID = self.serverID else { return [] }
        let listing =
            try self.listing
            ?? S3ArchiveListing(
                try self.objects.list(self.objects.layout.binlogsPrefix),
                layout: self.objects.layout
            )
        return listing.fileNames(of: serverID)
    }

    func createFile(named name: String) throws -> any ArchiveFileWriting {
        guard let serverID = self.serverID else {
            throw ArchiveError("internal: a file was started before the server was known", path: self.location)
        }
        let existing = try self.objects.list(self.objects.layout.filePrefix(serverID: serverID, file: name))
        if !existing.isEmpty {
            throw ArchiveError(
                "the archive already has \(existing.count) objects of \(name) that its index does not know; move "
                    + "them away (or archive to a new prefix) and start again",
                path: self.location(of: name)
            )
        }
        return S3ArchiveFileWriter(newFile: name, serverID: serverID, objects: self.objects)
    }

    func resumeFile(
        named name: String,
        from start: UInt64,
        verifyChecksums: Bool,
        _ onEvent: (ArchiveEventInspector.Inspection, UInt64) -> Void
    ) throws -> ArchiveResume {
        guard let serverID = self.serverID else {
            throw ArchiveError("the index lists \(name) but names no server", path: self.location)
        }
        let layout = self.objects.layout
        let listed = S3ArchiveListing(
            try self.objects.list(layout.filePrefix(serverID: serverID, file: name)),
            layout: layout
        )
        var file = listed.files[serverID]?[name] ?? S3ArchiveListing.File()
        let location = self.location(of: name)
        guard !file.segments.isEmpty else {
            // Killed before the file's first segment: it starts again from its magic.
            return ArchiveResume(
                writer: S3ArchiveFileWriter(newFile: name, serverID: serverID, objects: self.objects),
                inspector: ArchiveEventInspector(verifiesChecksums: verifyChecksums)
            )
        }
        var recorded: [UInt64: S3SegmentManifest] = [:]
        for segment in file.segments where file.manifests.contains(segment.offset) {
            let key = layout.manifestKey(serverID: serverID, file: name, offset: segment.offset)
            recorded[segment.offset] = try self.objects.getJSON(S3SegmentManifest.self, key)
        }
        try file.resolve(manifests: recorded, metadata: self.objects.segmentMetadata, location: location)
        try S3ArchiveListing.checkContiguous(file, location: location)
        let reader = S3SegmentReader(
            file: file,
            name: name,
            serverID: serverID,
            objects: self.objects,
            recorded: recorded
        )
        let size = file.segments.last.map { $0.offset + $0.size } ?? 0
        let outcome = try ArchivedEventScanner.scan(
            size: size,
            location: location,
            from: start,
            verifyChecksums: verifyChecksums,
            read: { buffer, offset in try reader.read(into: buffer, at: offset) },
            onEvent: onEvent
        )
        guard outcome.goodEnd == size else {
            let segment = file.segments.last { $0.offset <= outcome.goodEnd } ?? file.segments[0]
            throw ArchiveError(
                "the stored file is damaged at byte \(outcome.goodEnd) (\(outcome.damage ?? "?")), in the segment "
                    + "\(self.objects.url(segment.key)); segments are never rewritten: check that object, or "
                    + "archive to a new prefix",
                path: location,
                offset: outcome.goodEnd
            )
        }
        // Segments stored but not recorded (killed between the segment and its manifest): adopted, their events
        // having just been checked.
        let manifests = try reader.manifests()
        for manifest in manifests where !file.manifests.contains(manifest.offset) {
            try self.objects.putJSON(
                layout.manifestKey(serverID: serverID, file: name, offset: manifest.offset),
                manifest
            )
        }
        return ArchiveResume(
            writer: S3ArchiveFileWriter(
                resumed: name,
                serverID: serverID,
                segments: manifests,
                hash: reader.hash,
                objects: self.objects
            ),
            endedWith: outcome.endedWith,
            inspector: outcome.inspector
        )
    }
}

/// Set once when another archiver took the lease.
private final class LeaseFlag: @unchecked Sendable {
    // Invariant: `value` is only read or written with `lock` held.
    private let lock = NSLock()
    private var value = false
    func set() { self.lock.withLock { self.value = true } }
    var isSet: Bool { self.lock.withLock { self.value } }
}
