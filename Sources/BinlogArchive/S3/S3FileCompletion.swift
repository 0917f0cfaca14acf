/// The completion manifest of a finished binlog file (`…/FILE/complete.json`): the file is its segments, joined in
/// offset order, with the in-use flag cleared when ``inUseFlagCleared`` says so (the server clears it when it closes
/// a file; the first segment keeps the flag as it was sent, since segments are never rewritten).
struct S3FileCompletion: Codable, Hashable, Sendable {
    static let currentVersion = 1

    var version: Int = Self.currentVersion
    var serverID: UInt32
    var server: String?
    var serverVersion: String?
    /// The file's entry, as the index keeps it: size, events, transactions, times, first and last GTID, GTID set,
    /// how it ended.
    var entry: ArchivedFile
    /// The segments, in offset order.
    var segments: [S3SegmentManifest]
    /// SHA-256 of the joined segments as stored (before the flag is cleared).
    var sha256: String
    /// Clear `LOG_EVENT_BINLOG_IN_USE_F` (byte 21, the FORMAT_DESCRIPTION's flags) when joining.
    var inUseFlagCleared: Bool

    /// The file offset of the FORMAT_DESCRIPTION's flags byte.
    static let inUseFlagOffset: UInt64 = 4 + 17
}
