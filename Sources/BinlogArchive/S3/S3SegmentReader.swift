import Crypto
import NIOCore

/// Reads a stored file through its segments, one window of a segment in memory at a time (``S3SegmentWindow``),
/// checking each segment against its manifest (SHA-256, offset, length) once its last window is read; an encoded
/// segment is decoded on the way. What ``ArchivedEventScanner`` reads a resumed file with.
final class S3SegmentReader {
    private let file: S3ArchiveListing.File
    private let name: String
    private let serverID: UInt32
    private let objects: S3ArchiveObjects
    /// The manifests of the recorded segments, by offset.
    private let recorded: [UInt64: S3SegmentManifest]
    private var window = S3SegmentWindow()
    /// The segment being hashed in order, and how far.
    private var hashing: (index: Int, upTo: UInt64, sha256: SHA256)?
    private var checked: [Int: S3SegmentManifest] = [:]
    /// How far the whole file was hashed in order.
    private var fileHashedUpTo: UInt64 = 0
    private var running: SHA256? = SHA256()

    /// - Parameter file: the file's segments, resolved (``S3ArchiveListing/File/resolve(manifests:metadata:location:)``:
    ///   plain sizes and encodings).
    init(
        file: S3ArchiveListing.File,
        name: String,
        serverID: UInt32,
        objects: S3ArchiveObjects,
        recorded: [UInt64: S3SegmentManifest]
    ) {
        self.recorded = recorded
        self.file = file
        self.name = name
        self.serverID = serverID
        self.objects = objects
    }

    /// SHA-256 of the whole file, when every segment was read in order.
    var hash: SHA256? {
        self.fileHashedUpTo == (self.file.segments.last.map { $0.offset + $0.size } ?? 0) ? self.running : nil
    }

    /// Copies bytes from `offset` into `buffer`; returns how many (fewer at the end of the file).
    ///
    /// - Throws: ``ArchiveError`` for a segment that does not match its manifest; what the store answers.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
        var copied = 0
        var at = offset
        while copied < buffer.count {
            guard let index = self.file.segments.lastIndex(where: { $0.offset <= at }) else { break }
            let segment = self.file.segments[index]
            guard at < segment.offset + segment.size else { break }
            try self.load(index, holding: at - segment.offset)
            let start = Int(at - segment.offset - self.window.start)
            let count = min(buffer.count - copied, self.window.bytes.readableBytes - start)
            self.window.bytes.withUnsafeReadableBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + count)]))
            }
            copied += count
            at += UInt64(count)
        }
        return copied
    }

    /// The manifests of every segment, those missing computed from the bytes (segments not read to their end are
    /// read now, a window at a time).
    func manifests() throws -> [S3SegmentManifest] {
        try self.file.segments.indices.map { index in
            if let manifest = self.checked[index] { return manifest }
            let size = self.file.segments[index].size
            var at: UInt64 = 0
            if let hashing = self.hashing, hashing.index == index {
                at = hashing.upTo
            } else {
                self.window = S3SegmentWindow()  // hashed from its first window, fetched again
            }
            if size == 0 { try self.check(index, sha256: SHA256.hex(of: ByteBuffer())) }
            while self.checked[index] == nil && at < size {
                try self.load(index, holding: at)
                at = self.window.end
            }
            guard let manifest = self.checked[index] else {
                throw ArchiveError(
                    "internal: the segment was not hashed to its end",
                    path: self.file.segments[index].key
                )
            }
            return manifest
        }
    }

    /// Makes the window the one of segment `index` holding byte `at` of it; a window fetched in order is hashed,
    /// and the segment checked against its manifest at its end.
    private func load(_ index: Int, holding at: UInt64) throws {
        let segment = self.file.segments[index]
        let fetched = try self.window.load(
            segment.key,
            size: segment.size,
            holding: at,
            objects: self.objects,
            encoding: segment.encoding,
            storedSize: segment.storedSize
        )
        guard fetched else { return }
        let bytes = self.window.bytes
        let start = self.window.start
        if start == 0 && self.checked[index] == nil { self.hashing = (index, 0, SHA256()) }
        if let hashing = self.hashing, hashing.index == index, hashing.upTo == start {
            var sha256 = hashing.sha256
            sha256.update(bytes)
            self.hashing = (index, self.window.end, sha256)
            if self.window.end == segment.size {
                self.hashing = nil
                try self.check(index, sha256: sha256.finalize().hex)
            }
        }
        if segment.offset + start == self.fileHashedUpTo {
            self.running?.update(bytes)
            self.fileHashedUpTo += UInt64(bytes.readableBytes)
        } else if segment.offset + start > self.fileHashedUpTo {
            self.running = nil
        }
    }

    /// Checks a segment read to its end against its manifest, when it has one, and records its manifest.
    private func check(_ index: Int, sha256: String) throws {
        let segment = self.file.segments[index]
        if self.file.manifests.contains(segment.offset) {
            let key = self.objects.layout.manifestKey(serverID: self.serverID, file: self.name, offset: segment.offset)
            guard let manifest = self.recorded[segment.offset], manifest.offset == segment.offset,
                manifest.length == segment.size, manifest.sha256 == sha256
            else {
                throw ArchiveError(
                    "the segment does not match its manifest \(self.objects.url(key)) (offset, length or SHA-256); "
                        + "it was changed after it was stored",
                    path: self.objects.url(segment.key)
                )
            }
            self.checked[index] = manifest
            return
        }
        self.checked[index] = S3SegmentManifest(
            serverID: self.serverID,
            file: self.name,
            offset: segment.offset,
            length: segment.size,
            sha256: sha256,
            encoding: segment.encoding,
            storedLength: segment.encoding == nil ? nil : segment.storedSize
        )
    }
}
