import Foundation

/// What an archive directory holds: `rewind-archive.json` beside the binlog files.
///
/// Written atomically (a temporary file renamed over the old one). It may lag behind the files by a few seconds
/// (an archiver killed between writing events and saving the index): the archiver re-reads the tail of the last
/// file at start, so the files are the truth and the index catches up.
public struct ArchiveIndex: Codable, Hashable, Sendable {
    public static let fileName = "rewind-archive.json"
    public static let currentVersion = 1

    public var version: Int = Self.currentVersion
    /// The server the files come from (`host:port` or socket), its `server_id` and version.
    public var server: String?
    public var serverID: UInt32?
    public var serverVersion: String?
    /// Archived files in server order.
    public var files: [ArchivedFile] = []
    public var gaps: [ArchiveGap] = []
    public var updatedAt: Date?

    public init() {}

    /// The entry for `name`, if archived.
    public func file(named name: String) -> ArchivedFile? {
        self.files.first { $0.name == name }
    }
}
