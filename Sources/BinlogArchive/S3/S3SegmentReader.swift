import Crypto
import NIOCore

/// Reads a stored file through its segments, one segment in memory at a time, checking each against its manifest
/// (SHA-256, offset, length) as it is fetched, decoded when it is encoded; what ``ArchivedEventScanner`` reads a resumed file with.
final class S3SegmentReader {
    private let file: S3ArchiveListing.File
    private let name: String
    private let serverID: UInt32
    private let objects: S3ArchiveObjects
    /// The manifests of the recorded segments, by offset.
    private let recorded: [UInt64: S3SegmentManifest]
    private var current: (index: Int, bytes: ByteBuffer)?
    private var checked: [Int: S3SegmentManifest] = [:]
    private var nextToHash = 0
    private var running: SHA256? = SHA256()

    /// - Parameter file: the file's segments, resolved (``S3ArchiveListing/File/resolve(manifests:metadata:location:)``).
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
    var hash: SHA256? { self.nextToHash == self.file.segments.count ? self.running : nil }

    /// Copies bytes from `offset` into `buffer`; returns how many (fewer at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
        var copied = 0
        var at = offset
        while copied < buffer.count {
            guard let index = self.file.segments.lastIndex(where: { $0.offset <= at }) else { break }
            let segment = self.file.segments[index]
            guard at < segment.offset + segment.size else { break }
            let bytes = try self.segment(index)
            let start = Int(at - segment.offset)
            let count = min(buffer.count - copied, Int(segment.size) - start)
            bytes.withUnsafeReadableBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + count)]))
            }
            copied += count
            at += UInt64(count)
        }
        return copied
    }

    /// The manifests of every segment, those missing computed from the bytes (all segments must have been read).
    func manifests() throws -> [S3SegmentManifest] {
        try self.file.segments.indices.map { index in
            if let manifest = self.checked[index] { return manifest }
            _ = try self.segment(index)
            return self.checked[index]!
        }
    }

    private func segment(_ index: Int) throws -> ByteBuffer {
        if let current, current.index == index { return current.bytes }
        let segment = self.file.segments[index]
        let bytes = try self.objects.getSegment(segment.key, encoding: segment.encoding)
        let sha256 = SHA256.hex(of: bytes)
        let url = self.objects.url(segment.key)
        guard UInt64(bytes.readableBytes) == segment.size else {
            throw ArchiveError("the segment's size changed while it was read", path: url)
        }
        if self.file.manifests.contains(segment.offset) {
            let key = self.objects.layout.manifestKey(serverID: self.serverID, file: self.name, offset: segment.offset)
            guard let manifest = self.recorded[segment.offset], manifest.offset == segment.offset,
                manifest.length == segment.size, manifest.sha256 == sha256
            else {
                throw ArchiveError(
                    "the segment does not match its manifest \(self.objects.url(key)) (offset, length or SHA-256); "
                        + "it was changed after it was stored",
                    path: url
                )
            }
            self.checked[index] = manifest
        } else {
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
        if index == self.nextToHash {
            self.running?.update(bytes)
            self.nextToHash += 1
        } else if index > self.nextToHash {
            self.running = nil
        }
        self.current = (index, bytes)
        return bytes
    }
}
