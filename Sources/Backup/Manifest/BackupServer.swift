/// The server a backup was taken from.
public struct BackupServer: Codable, Hashable, Sendable {
    /// `mariadb` or `mysql`.
    public var flavor: String
    public var version: String
    public var serverID: UInt32
    /// MySQL's `server_uuid`; `nil` on MariaDB.
    public var serverUUID: String?
    public var hostname: String
    public var port: Int
    public var datadir: String
    /// The connection address the backup used.
    public var address: String

    enum CodingKeys: String, CodingKey {
        case flavor, version
        // Spelled so that the snake-case strategies give `server_id` and `server_uuid` both ways.
        case serverID = "serverId"
        case serverUUID = "serverUuid"
        case hostname, port, datadir, address
    }

    public init(
        flavor: String,
        version: String,
        serverID: UInt32,
        serverUUID: String?,
        hostname: String,
        port: Int,
        datadir: String,
        address: String
    ) {
        self.flavor = flavor
        self.version = version
        self.serverID = serverID
        self.serverUUID = serverUUID
        self.hostname = hostname
        self.port = port
        self.datadir = datadir
        self.address = address
    }
}
