import BinlogFormat
import Crypto
import Foundation
import NIOCore
import ObjectCodec
import ObjectStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Joins an archive in S3 into a local directory that the directory readers (`window`, `timeline`, `restore`,
/// `flashback`) take as they are: each file's recorded segments, checked against their manifests' SHA-256 and
/// written one at a time (memory stays flat), and an index rebuilt from the manifests.
///
/// The cache lives in `ROOT/BUCKET/PREFIX` (ROOT: `--cache-dir`, else `$XDG_CACHE_HOME/rewind/s3`, else
/// `~/.cache/rewind/s3`), mode 0700. Segments are never rewritten, so a cached file is only extended by the
/// segments added since (`.NAME.segments.json` records those joined); a cached file whose segments no longer match
/// the store's is joined again from its start, files gone from the store are removed, and the index is rebuilt on
/// every use. A segment stored without a manifest (an archiver killed between the two) is left out until the next
/// archiver adopts it.
package enum S3ArchiveCache {
    /// What was joined into a cached file.
    struct Joined: Codable {
        var segments: [S3SegmentManifest]
        var completed: Bool
    }

    /// The default root: `$XDG_CACHE_HOME/rewind/s3` or `~/.cache/rewind/s3`.
    package static func defaultRoot(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/rewind/s3" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/rewind/s3"
    }

    /// Joins the archive at `location` into its cache directory and returns the directory.
    ///
    /// - Parameter codec: its key reads encrypted segments (the rest of an encoded segment's codec is in the
    ///   segment itself and its manifest); the cached files are plain, in a 0700 directory, as the archiver's own.
    ///
    /// - Throws: ``S3Error`` (the bucket, the credentials), ``ArchiveError`` (a segment that does not match its
    ///   manifest, segments with a hole or an overlap, a cache directory that cannot be written).
    package static func materialize(
        _ location: S3Location,
        configuration: S3ClientConfiguration,
        root: String? = nil,
        codec: ObjectCodec = .plain
    ) async throws -> String {
        let directory = (root ?? Self.defaultRoot()) + "/" + location.bucket + "/" + location.prefix
        try Self.makeDirectory(directory)
        let lock = open(directory + "/.rewind-cache.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX) == 0 else {
            throw ArchiveError("cannot lock the cache: \(String(cString: strerror(errno)))", path: directory)
        }
        defer { close(lock) }
        return try await S3Client.withClient(configuration) { client in
            try await Self.join(location, client: client, codec: codec, into: directory)
            return directory
        }
    }

    private static func join(
        _ location: S3Location,
        client: S3Client,
        codec: ObjectCodec,
        into directory: String
    ) async throws {
        let layout = S3ArchiveLayout(location: location)
        let bucket = location.bucket
        try await client.headBucket(bucket)
        var index = ArchiveIndex()
        if let bytes = try? await client.getObject(bucket: bucket, key: layout.indexKey, maxBytes: 64 << 20) {
            index = try S3ArchiveObjects.decode(ArchiveIndex.self, bytes, key: "s3://\(bucket)/\(layout.indexKey)")
        }
        let listing = S3ArchiveListing(
            try await client.listObjects(bucket: bucket, prefix: layout.binlogsPrefix),
            layout: layout
        )
        guard let serverID = index.serverID ?? listing.serverIDs.first else {
            throw ArchiveError("no archived binlogs under \(location)", path: location.description)
        }
        if listing.serverIDs.contains(where: { $0 != serverID }) {
            throw ArchiveError(
                "the prefix holds the binlogs of several servers (server_id \(listing.serverIDs.map(String.init)))",
                path: location.description
            )
        }
        var rebuilt = ArchiveIndex()
        (rebuilt.server, rebuilt.serverID, rebuilt.serverVersion) = (index.server, serverID, index.serverVersion)
        let names = listing.fileNames(of: serverID)
        for name in names {
            let file = listing.files[serverID]![name]!
            var recorded = file
            recorded.segments = []
            for segment in file.segments {
                guard file.manifests.contains(segment.offset) else { break }
                recorded.segments.append(segment)
            }
            let joined = Self.joinedState(name, directory: directory, segments: recorded.segments)
            let manifests = try await Self.manifests(
                of: recorded.segments,
                known: joined.segments,
                name: name,
                serverID: serverID,
                client: client,
                layout: layout
            )
            let fileLocation = "s3://\(bucket)/\(layout.filePrefix(serverID: serverID, file: name))"
            try recorded.resolve(manifests: manifests, metadata: nil, location: fileLocation)
            try S3ArchiveListing.checkContiguous(recorded, location: fileLocation)
            var completion: S3FileCompletion?
            if file.hasCompletion {
                let key = layout.completionKey(serverID: serverID, file: name)
                completion = try S3ArchiveObjects.decode(
                    S3FileCompletion.self,
                    try await client.getObject(bucket: bucket, key: key),
                    key: key
                )
            }
            let entry = try await Self.joinFile(
                name,
                segments: recorded.segments,
                manifests: manifests,
                joined: joined,
                completion: completion,
                codec: codec,
                serverID: serverID,
                client: client,
                layout: layout,
                directory: directory
            )
            rebuilt.files.append(entry)
            if rebuilt.server == nil { rebuilt.server = completion?.server }
            if rebuilt.serverVersion == nil { rebuilt.serverVersion = completion?.serverVersion }
        }
        for object in try await client.listObjects(bucket: bucket, prefix: layout.gapsPrefix) {
            let bytes = try await client.getObject(bucket: bucket, key: object.key)
            rebuilt.gaps.append(try S3ArchiveObjects.decode(ArchiveGap.self, bytes, key: object.key))
        }
        rebuilt.gaps.sort { $0.detectedAt < $1.detectedAt }
        // Files no longer in the store leave the cache.
        let kept = Set(names)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where BinlogFileName(name) != nil && !kept.contains(name) {
            unlink(directory + "/" + name)
            unlink(directory + "/." + name + ".segments.json")
        }
        rebuilt.updatedAt = index.updatedAt
        let data = try S3ArchiveObjects.encode(rebuilt)
        try Self.writeAtomically(data, to: directory + "/" + ArchiveIndex.fileName)
    }

    /// What the cache holds of a file: its record of the segments joined, when it still matches the cached bytes
    /// and the store's segments (same offsets and stored sizes); else nothing.
    private static func joinedState(
        _ name: String,
        directory: String,
        segments: [S3ArchiveListing.Segment]
    ) -> Joined {
        let path = directory + "/" + name
        let statePath = directory + "/." + name + ".segments.json"
        guard let data = FileManager.default.contents(atPath: statePath),
            let state = try? JSONDecoder().decode(Joined.self, from: data),
            state.segments.count <= segments.count,
            zip(state.segments, segments).allSatisfy({ $0.offset == $1.offset && $0.storedSize == $1.storedSize }),
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
                == state.segments.last?.end ?? 0
        else { return Joined(segments: [], completed: false) }
        return state
    }

    /// The manifests of `segments`, by offset: those already joined from the cache's record, the others fetched.
    private static func manifests(
        of segments: [S3ArchiveListing.Segment],
        known: [S3SegmentManifest],
        name: String,
        serverID: UInt32,
        client: S3Client,
        layout: S3ArchiveLayout
    ) async throws -> [UInt64: S3SegmentManifest] {
        var manifests: [UInt64: S3SegmentManifest] = [:]
        for manifest in known { manifests[manifest.offset] = manifest }
        for segment in segments.dropFirst(known.count) {
            let key = layout.manifestKey(serverID: serverID, file: name, offset: segment.offset)
            manifests[segment.offset] = try S3ArchiveObjects.decode(
                S3SegmentManifest.self,
                try await client.getObject(bucket: layout.location.bucket, key: key),
                key: key
            )
        }
        return manifests
    }

    /// Brings one cached file up to the store's segments and returns its index entry.
    private static func joinFile(
        _ name: String,
        segments: [S3ArchiveListing.Segment],
        manifests: [UInt64: S3SegmentManifest],
        joined: Joined,
        completion: S3FileCompletion?,
        codec: ObjectCodec,
        serverID: UInt32,
        client: S3Client,
        layout: S3ArchiveLayout,
        directory: String
    ) async throws -> ArchivedFile {
        let path = directory + "/" + name
        let statePath = directory + "/." + name + ".segments.json"
        let bucket = layout.location.bucket
        var joined = joined
        if joined.completed, completion != nil, joined.segments.count == segments.count {
            return completion!.entry
        }
        if joined.completed { joined = Joined(segments: [], completed: false) }  // re-join from the start
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot write the cached file: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(descriptor) }
        ftruncate(descriptor, off_t(joined.segments.last?.end ?? 0))
        for segment in segments.dropFirst(joined.segments.count) {
            guard let manifest = manifests[segment.offset] else { break }
            // A window at a time (a segment of one long event can be up to 1 GiB), hashed on the way.
            var sha256 = SHA256()
            var at: UInt64 = 0
            if manifest.encoding != nil {
                at = try await Self.joinEncoded(
                    segment,
                    codec: codec,
                    client: client,
                    layout: layout,
                    into: descriptor,
                    path: path,
                    sha256: &sha256
                )
            }
            while manifest.encoding == nil && at < segment.size {
                let length = min(S3SegmentWindow.length, segment.size - at)
                let bytes = try await client.getObject(
                    bucket: bucket,
                    key: segment.key,
                    range: Int64(at)...Int64(at + length) - 1,
                    maxBytes: Int(length) + 1
                )
                guard bytes.readableBytes == Int(length) else { break }
                sha256.update(bytes)
                try Self.write(bytes, to: descriptor, at: segment.offset + at, path: path)
                at += length
            }
            guard manifest.offset == segment.offset, manifest.length == segment.size, at == segment.size,
                sha256.finalize().hex == manifest.sha256
            else {
                throw ArchiveError(
                    "the segment does not match its manifest (offset, length or SHA-256)",
                    path: "s3://\(bucket)/\(segment.key)"
                )
            }
            joined.segments.append(manifest)
        }
        var entry = ArchivedFile(name: name, size: joined.segments.last?.end ?? 0)
        if let completion {
            guard completion.segments == joined.segments else {
                throw ArchiveError(
                    "the completion manifest lists other segments than the store holds",
                    path: "s3://\(bucket)/\(layout.completionKey(serverID: serverID, file: name))"
                )
            }
            guard try Self.sha256(descriptor, size: entry.size, path: path) == completion.sha256 else {
                throw ArchiveError("the joined file does not match its completion manifest's SHA-256", path: path)
            }
            if completion.inUseFlagCleared {
                var flags: UInt8 = 0
                let offset = off_t(S3FileCompletion.inUseFlagOffset)
                if pread(descriptor, &flags, 1, offset) == 1 {
                    flags &= ~UInt8(BinlogEventHeader.flagBinlogInUse)
                    _ = pwrite(descriptor, &flags, 1, offset)
                }
            }
            joined.completed = true
            entry = completion.entry
        } else {
            entry = try Self.scanOpenFile(name, descriptor: descriptor, size: entry.size, path: path)
        }
        fsync(descriptor)
        try Self.writeAtomically(try JSONEncoder().encode(joined), to: statePath)
        return entry
    }

    /// Decodes an encoded segment into the cached file as its stored ranges arrive (a window of plain bytes at a
    /// time, whatever the compression); returns how many plain bytes it gave (writing stops past the segment's size).
    private static func joinEncoded(
        _ segment: S3ArchiveListing.Segment,
        codec: ObjectCodec,
        client: S3Client,
        layout: S3ArchiveLayout,
        into descriptor: Int32,
        path: String,
        sha256: inout SHA256
    ) async throws -> UInt64 {
        var encoded = S3EncodedSegment(key: segment.key, storedSize: segment.storedSize, codec: codec, layout: layout)
        let limit = Int(S3SegmentWindow.length)
        var at: UInt64 = 0
        while true {
            var plain = try encoded.plain(limit: limit)
            if plain.readableBytes == 0 {
                guard let range = encoded.nextRange else {
                    try encoded.finish()
                    return at
                }
                let stored = try await client.getObject(
                    bucket: layout.location.bucket,
                    key: segment.key,
                    range: Int64(range.offset)...Int64(range.offset) + Int64(range.length) - 1,
                    maxBytes: range.length + 1
                )
                guard stored.readableBytes == range.length else { return at }
                plain = try encoded.plain(stored, limit: limit)
            }
            guard at + UInt64(plain.readableBytes) <= segment.size else { return segment.size + 1 }
            sha256.update(plain)
            try Self.write(plain, to: descriptor, at: segment.offset + at, path: path)
            at += UInt64(plain.readableBytes)
        }
    }

    /// The entry of a file still being written, counted from its cached bytes as the archiver counts it.
    private static func scanOpenFile(
        _ name: String,
        descriptor: Int32,
        size: UInt64,
        path: String
    ) throws -> ArchivedFile {
        var entry = ArchivedFile(name: name, size: size)
        guard size > 0 else { return entry }
        var gtids = GTIDSet()
        let outcome = try ArchivedEventScanner.scan(
            size: size,
            location: path,
            from: 4,
            verifyChecksums: true,
            read: { buffer, offset in try PosixIO.readAll(descriptor, into: buffer, at: offset, path: path) },
            onEvent: { inspection, _ in entry.record(inspection, gtids: &gtids) }
        )
        entry.size = outcome.goodEnd
        if !gtids.isEmpty { entry.gtidSet = gtids.description }
        return entry
    }

    private static func sha256(_ descriptor: Int32, size: UInt64, path: String) throws -> String {
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: UInt64 = 0
        while offset < size {
            let count = try buffer.withUnsafeMutableBytes {
                try PosixIO.readAll(
                    descriptor,
                    into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<Int(min(UInt64($0.count), size - offset))]),
                    at: offset,
                    path: path
                )
            }
            guard count > 0 else { break }
            hash.update(data: buffer[0..<count])
            offset += UInt64(count)
        }
        return hash.finalize().hex
    }

    private static func write(_ bytes: ByteBuffer, to descriptor: Int32, at offset: UInt64, path: String) throws {
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw ArchiveError("cannot seek: \(String(cString: strerror(errno)))", path: path, offset: offset)
        }
        try bytes.withUnsafeReadableBytes { try PosixIO.writeAll(descriptor, $0, path: path) }
    }

    private static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ArchiveError(
                "cannot create the cache directory (\(error.localizedDescription)); give --cache-dir",
                path: path
            )
        }
    }

    private static func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ArchiveError("cannot write (\(error.localizedDescription))", path: path)
        }
    }
}
