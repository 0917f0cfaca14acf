import ObjectStorage

/// Where each object of an archive in S3 lives, under the archive's prefix `P` (`s3://bucket/P`):
///
///     P/lease.json                                       the archiver holding the prefix (conditional write)
///     P/rewind-archive.json                              the index (replaced; rebuilt from the manifests if lost)
///     P/binlogs/SERVERID/FILE/OFFSET.seg                 a segment: whole events of FILE from byte OFFSET
///     P/binlogs/SERVERID/FILE/OFFSET.json                its manifest (``S3SegmentManifest``)
///     P/binlogs/SERVERID/FILE/complete.json              the file's completion manifest (``S3FileCompletion``)
///     P/binlogs/SERVERID/FILE/pruning.json               the file is being pruned (``S3PruneMarker``)
///     P/gaps/FILE.json                                   a gap, named by the file the archive went on with
///
/// `SERVERID` is the server's `server_id` in 10 digits and `OFFSET` the segment's first byte in 20 digits, so the
/// keys sort by content (server, file, offset), never by upload time. Segments are written once
/// (`If-None-Match: *`) and never replaced.
struct S3ArchiveLayout: Sendable {
    let location: S3Location

    static let segmentSuffix = ".seg"
    static let manifestSuffix = ".json"
    static let completionName = "complete.json"
    static let pruningName = "pruning.json"

    var leaseKey: String { self.location.key("lease.json") }
    var indexKey: String { self.location.key(ArchiveIndex.fileName) }
    var binlogsPrefix: String { self.location.key("binlogs/") }
    var gapsPrefix: String { self.location.key("gaps/") }

    static func serverDirectory(_ serverID: UInt32) -> String { Self.padded(UInt64(serverID), width: 10) }

    /// `P/binlogs/SERVERID/FILE/`.
    func filePrefix(serverID: UInt32, file: String) -> String {
        self.binlogsPrefix + Self.serverDirectory(serverID) + "/" + file + "/"
    }

    func segmentKey(serverID: UInt32, file: String, offset: UInt64) -> String {
        self.filePrefix(serverID: serverID, file: file) + Self.padded(offset, width: 20) + Self.segmentSuffix
    }

    func manifestKey(serverID: UInt32, file: String, offset: UInt64) -> String {
        self.filePrefix(serverID: serverID, file: file) + Self.padded(offset, width: 20) + Self.manifestSuffix
    }

    func completionKey(serverID: UInt32, file: String) -> String {
        self.filePrefix(serverID: serverID, file: file) + Self.completionName
    }

    func pruningKey(serverID: UInt32, file: String) -> String {
        self.filePrefix(serverID: serverID, file: file) + Self.pruningName
    }

    func gapKey(resumedAt file: String) -> String { self.gapsPrefix + file + ".json" }

    static func padded(_ value: UInt64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
