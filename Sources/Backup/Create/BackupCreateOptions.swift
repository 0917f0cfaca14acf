import BackupStorage
import Checksum

/// What `rewind backup create` backs up and how.
public struct BackupCreateOptions: Sendable {
    /// The catalog (a directory or an S3 prefix); the backup goes into `<catalog>/<id>/`.
    public var catalog: any BackupStore
    /// Dump connections (each with its own snapshot).
    public var threads: Int
    /// Only these databases (empty: all but the system schemas).
    public var databases: [String]
    public var excludedDatabases: [String]
    /// Only these tables, as `db.table` (empty: all tables of the chosen databases).
    public var tables: [String]
    /// About this many bytes of table data per chunk file.
    public var chunkBytes: UInt64
    /// Rounds of opening the workers' snapshots before giving up when their coordinates never agree.
    public var maximumSnapshotAttempts: Int
    /// MySQL: how long and how often to try the brief `FLUSH TABLES WITH READ LOCK`.
    public var readLock: ReadLockPolicy
    /// Also write users, roles and their grants (`grants.sql`).
    public var withGrants: Bool
    /// With ``withGrants``: only these accounts (`user` or `user@host`), system accounts included when named;
    /// empty: every account but root and the system ones.
    public var grantAccounts: [String]
    public var rewindVersion: String
    /// How often a running backup renews its manifest's heartbeat (``BackupWriter``).
    public var heartbeatInterval: Duration = .seconds(60)

    public init(
        catalog: any BackupStore,
        threads: Int = 4,
        databases: [String] = [],
        excludedDatabases: [String] = [],
        tables: [String] = [],
        chunkBytes: UInt64 = 32 << 20,
        maximumSnapshotAttempts: Int = 200,
        readLock: ReadLockPolicy = ReadLockPolicy(),
        withGrants: Bool = false,
        grantAccounts: [String] = [],
        rewindVersion: String
    ) {
        self.catalog = catalog
        self.threads = threads
        self.databases = databases
        self.excludedDatabases = excludedDatabases
        self.tables = tables
        self.chunkBytes = chunkBytes
        self.maximumSnapshotAttempts = maximumSnapshotAttempts
        self.readLock = readLock
        self.withGrants = withGrants || !grantAccounts.isEmpty
        self.grantAccounts = grantAccounts
        self.rewindVersion = rewindVersion
    }

    /// Whether `database.table` is chosen.
    func includes(database: String, table: String?) -> Bool {
        if TableSelection.isSystem(database: database) { return false }
        if self.excludedDatabases.contains(database) { return false }
        if !self.databases.isEmpty, !self.databases.contains(database) {
            if self.tables.isEmpty { return false }
        }
        if !self.tables.isEmpty {
            if let table { return self.tables.contains("\(database).\(table)") }
            return self.tables.contains { $0.hasPrefix(database + ".") }
        }
        return true
    }
}
