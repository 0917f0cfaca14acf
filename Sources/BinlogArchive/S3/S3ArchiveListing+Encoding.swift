import ObjectCodec

extension S3ArchiveListing.File {
    /// Gives each segment its plain size and encoding: an encoded segment's stored size (what a listing shows) is
    /// not its length in the file. Recorded segments take them from their manifests; the others (stored but not
    /// recorded, left by a killed archiver) from their metadata, through `metadata` (`nil`: such segments are left
    /// as listed, for readers that skip them).
    ///
    /// - Throws: ``ArchiveError`` naming a segment whose stored size is not the one its manifest recorded (it was
    ///   replaced), or that has vanished.
    mutating func resolve(
        manifests: [UInt64: S3SegmentManifest],
        metadata: ((String) throws -> S3ArchiveObjects.SegmentMetadata?)?,
        location: String
    ) throws {
        for index in self.segments.indices {
            let segment = self.segments[index]
            if let manifest = manifests[segment.offset] {
                guard manifest.storedSize == segment.storedSize else {
                    throw ArchiveError(
                        "the segment \(segment.key) is \(segment.storedSize) bytes in the store, but its manifest "
                            + "recorded \(manifest.storedSize): it was replaced after it was stored",
                        path: location,
                        offset: segment.offset
                    )
                }
                self.segments[index].size = manifest.length
                self.segments[index].encoding = manifest.encoding
            } else if let metadata {
                guard let stored = try metadata(segment.key) else {
                    throw ArchiveError(
                        "the segment \(segment.key) vanished while the file was read",
                        path: location,
                        offset: segment.offset
                    )
                }
                self.segments[index].size = stored.length
                self.segments[index].encoding = stored.encoding
            }
        }
    }
}
