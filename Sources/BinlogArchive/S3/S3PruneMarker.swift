import Foundation

/// `P/binlogs/SERVERID/FILE/pruning.json`: the file is being removed by `rewind backup prune --binlogs`. Written
/// before the file's first object is deleted and deleted after its last one, so that a file is either whole or
/// marked: every reader (``S3ArchiveListing``) takes a marked file as gone, and the next prune finishes it.
struct S3PruneMarker: Codable, Sendable {
    var version = 1
    var file: String
    /// The first file a kept backup needed: the reason this one goes.
    var before: String
    var startedAt: Date
    /// `rewind backup prune (pid N on HOST)`.
    var by: String
}
