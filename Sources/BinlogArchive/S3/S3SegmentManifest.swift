import ObjectCodec

/// The manifest of one segment (`…/OFFSET.json` beside `…/OFFSET.seg`): which bytes of which file it holds, and
/// their SHA-256. Written after the segment; a segment without one (an archiver killed between the two writes) is
/// adopted by the next archiver after its events are checked.
///
/// An encoded segment (`--compress`, `--encryption-key-file`) also records how (``encoding``) and its size in the
/// store (``storedLength``); ``length`` and ``sha256`` are always those of the plain bytes.
struct S3SegmentManifest: Codable, Hashable, Sendable {
    static let currentVersion = 1

    var version: Int = Self.currentVersion
    /// The server's `server_id`.
    var serverID: UInt32
    /// The binlog file's name.
    var file: String
    /// The segment's first byte in the file.
    var offset: UInt64
    var length: UInt64
    /// SHA-256 of the segment's bytes, lower-case hex.
    var sha256: String
    /// How the stored object is encoded; `nil` for a segment stored as it is.
    var encoding: ObjectEncoding?
    /// The stored object's size, for an encoded segment.
    var storedLength: UInt64?

    /// The size of the object in the store.
    var storedSize: UInt64 { self.storedLength ?? self.length }
    var end: UInt64 { self.offset + self.length }
}
