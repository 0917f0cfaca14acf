import ObjectCodec
import ObjectStorage

/// The objects under `P/binlogs/`, by server and file: what a store checks before it trusts its index.
struct S3ArchiveListing: Sendable {
    /// One stored segment.
    struct Segment: Sendable {
        var offset: UInt64
        /// The plain bytes' length: the stored size until ``File/resolve(manifests:metadata:location:)`` says
        /// otherwise for an encoded segment.
        var size: UInt64
        /// The object's size in the store.
        var storedSize: UInt64
        var key: String
        /// How the object is encoded, once resolved; `nil` for a plain one.
        var encoding: ObjectEncoding?

        var end: UInt64 { self.offset + self.size }
    }

    /// One file's objects.
    struct File: Sendable {
        /// Segments by offset, with their sizes and keys.
        var segments: [Segment] = []
        /// Offsets that have a manifest.
        var manifests: Set<UInt64> = []
        var hasCompletion = false
        /// A prune began removing the file (``S3PruneMarker``).
        var isBeingPruned = false
    }

    /// The files, without those being pruned.
    private(set) var files: [UInt32: [String: File]] = [:]
    /// The files a prune began removing: gone for every reader, finished by the next prune.
    private(set) var pruning: [UInt32: [String: File]] = [:]
    /// Keys under `P/binlogs/` that are not part of the layout.
    private(set) var strangers: [String] = []

    init(_ objects: [S3ObjectInfo], layout: S3ArchiveLayout) {
        for object in objects {
            let relative = object.key.dropFirst(layout.binlogsPrefix.count).split(separator: "/").map(String.init)
            guard relative.count == 3, relative[0].count == 10, let serverID = UInt32(relative[0]) else {
                self.strangers.append(object.key)
                continue
            }
            let (name, leaf) = (relative[1], relative[2])
            var file = self.files[serverID]?[name] ?? File()
            if leaf == S3ArchiveLayout.completionName {
                file.hasCompletion = true
            } else if leaf == S3ArchiveLayout.pruningName {
                file.isBeingPruned = true
            } else if leaf.hasSuffix(S3ArchiveLayout.segmentSuffix),
                let offset = UInt64(leaf.dropLast(S3ArchiveLayout.segmentSuffix.count))
            {
                let size = UInt64(max(0, object.size))
                file.segments.append(Segment(offset: offset, size: size, storedSize: size, key: object.key))
            } else if leaf.hasSuffix(S3ArchiveLayout.manifestSuffix),
                let offset = UInt64(leaf.dropLast(S3ArchiveLayout.manifestSuffix.count))
            {
                file.manifests.insert(offset)
            } else {
                self.strangers.append(object.key)
                continue
            }
            self.files[serverID, default: [:]][name] = file
        }
        for (serverID, files) in self.files {
            for (name, var file) in files {
                file.segments.sort { $0.offset < $1.offset }
                if file.isBeingPruned {
                    self.pruning[serverID, default: [:]][name] = file
                    self.files[serverID]![name] = nil
                } else {
                    self.files[serverID]![name] = file
                }
            }
        }
    }

    var serverIDs: [UInt32] { self.files.filter { !$0.value.isEmpty }.keys.sorted() }

    /// The names of the files of `serverID` that have segments, in server order.
    func fileNames(of serverID: UInt32) -> [String] {
        (self.files[serverID] ?? [:]).filter { !$0.value.segments.isEmpty }.keys
            .compactMap(BinlogFileName.init).sorted().map(\.name)
    }

    /// Checks that a file's segments start at byte 0 and follow each other with neither a hole nor an overlap.
    ///
    /// - Throws: ``ArchiveError`` naming the segments that overlap (bytes stored twice) or leave a hole.
    static func checkContiguous(_ file: File, location: String) throws {
        var end: UInt64 = 0
        for segment in file.segments {
            guard segment.offset == end else {
                let what = segment.offset < end ? "overlaps the one before (bytes stored twice)" : "leaves a hole"
                throw ArchiveError(
                    "the segment \(segment.key) at byte \(segment.offset) \(what): the previous ends at \(end)",
                    path: location,
                    offset: segment.offset
                )
            }
            end += segment.size
        }
    }
}
