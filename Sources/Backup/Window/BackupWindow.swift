import Foundation

/// The points in time one complete backup reaches: from its snapshot to the last archived event reachable from
/// its coordinates without a break.
public struct BackupWindow: Codable, Hashable, Sendable {
    public var backupID: String
    public var from: Date
    /// `nil` when not even the backup's own binlog file is archived (only the snapshot itself is reachable).
    public var to: Date?
    public var fromBinlog: BinlogCoordinates?
    /// The end of the last reachable file.
    public var toBinlog: BinlogCoordinates?
    public var gtidSet: String?
    /// What stops the chain before the end of the archive; `nil` when it reaches the end.
    public var breakInfo: WindowBreak?

    enum CodingKeys: String, CodingKey {
        case backupID = "backupId"
        case from, to, fromBinlog, toBinlog, gtidSet
        case breakInfo = "break"
    }
}
