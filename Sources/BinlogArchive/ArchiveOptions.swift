import ObjectCodec
import ObjectStorage

/// What to archive and how; see ``BinlogArchiver``.
public struct ArchiveOptions: Sendable {
    /// Where an empty archive starts. An archive that already holds files always goes on after its last one.
    public enum Start: Sendable, Hashable {
        /// The oldest binlog file the server still has.
        case oldest
        /// This file, from its first event.
        case file(String)
        /// The file that holds the first transaction after this GTID set (MySQL `uuid:1-5`, MariaDB `0-1-50`), from
        /// its first event: the archive keeps whole files.
        case gtid(String)
    }

    public var directory: String
    public var start: Start
    /// Keep streaming as new events come (`--follow`); otherwise stop at the end of the server's binlog.
    public var follow: Bool
    /// This archiver's replica server id (`--server-id`): it must differ from the server's and every replica's.
    public var serverID: UInt32
    /// How often an idle server sends a heartbeat; silence for three periods counts as a broken connection.
    public var heartbeatPeriod: Duration
    /// The longest wait between reconnection attempts (the wait doubles from 250 ms up to this).
    public var maxBackoff: Duration
    /// Consecutive failed attempts before giving up; `nil`: never give up (the default with ``follow``).
    public var maxAttempts: Int?
    /// Check every event's CRC32 before it is written.
    public var verifyChecksums: Bool
    /// For an `s3://` archive: the longest time received events wait before they are stored as a new segment
    /// (`--upload-interval`).
    public var uploadInterval: Duration = .seconds(10)
    /// For an `s3://` archive: the endpoint (`--endpoint`; else `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`, else AWS).
    package var s3Endpoint: String?
    /// For an `s3://` archive: path-style or virtual-host URLs (`--s3-addressing`).
    package var s3Addressing: S3ClientConfiguration.Addressing?
    /// For an `s3://` archive: how segments are stored (`--compress`, `--encryption-key-file`) and the key that reads
    /// encrypted ones; plain by default.
    package var s3Codec: ObjectCodec = .plain

    public static let defaultServerID: UInt32 = 4_027_000_001

    public init(
        directory: String,
        start: Start = .oldest,
        follow: Bool = false,
        serverID: UInt32 = Self.defaultServerID,
        heartbeatPeriod: Duration = .seconds(5),
        maxBackoff: Duration = .seconds(30),
        maxAttempts: Int? = nil,
        verifyChecksums: Bool = true
    ) {
        self.directory = directory
        self.start = start
        self.follow = follow
        self.serverID = serverID
        self.heartbeatPeriod = heartbeatPeriod
        self.maxBackoff = maxBackoff
        self.maxAttempts = maxAttempts ?? (follow ? nil : 5)
        self.verifyChecksums = verifyChecksums
    }
}
