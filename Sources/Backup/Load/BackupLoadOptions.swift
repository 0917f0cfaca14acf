import BackupStorage

/// How `rewind backup load` loads.
public struct BackupLoadOptions: Sendable {
    /// The backup (`DIR/<id>` or `s3://bucket/prefix/<id>`).
    public var backup: any BackupStore
    public var threads: Int
    /// Load even when the target already holds some of the backup's tables (they are dropped first).
    public var force: Bool
    /// Which databases to create (`rewind restore --database`); every one by default.
    public var includeDatabase: @Sendable (String) -> Bool
    /// Which tables to load (`rewind restore --database/--table`); every one by default.
    public var includeTable: @Sendable (_ database: String, _ table: String) -> Bool
    /// Databases loaded under another name (`rewind restore --into-database OLD=NEW`).
    public var renames: [String: String]
    /// Whether views, routines, triggers and events are loaded. They are left out whenever tables are filtered or
    /// databases renamed: their bodies name databases and tables that a partial or renamed load would not match.
    public var loadsSchemaObjects: Bool
    /// Whether the backup's users, roles and grants (`grants.sql`, from `backup create --with-grants`) are loaded,
    /// last.
    public var withGrants: Bool
    /// Whether InnoDB tables are created without their plain secondary keys, which are added after the data
    /// (``DeferredIndexes``).
    public var deferIndexes: Bool

    public init(
        backup: any BackupStore,
        threads: Int = 4,
        force: Bool = false,
        includeDatabase: @escaping @Sendable (String) -> Bool = { _ in true },
        includeTable: @escaping @Sendable (String, String) -> Bool = { _, _ in true },
        renames: [String: String] = [:],
        loadsSchemaObjects: Bool = true,
        withGrants: Bool = false,
        deferIndexes: Bool = true
    ) {
        self.backup = backup
        self.threads = threads
        self.force = force
        self.includeDatabase = includeDatabase
        self.includeTable = includeTable
        self.renames = renames
        self.loadsSchemaObjects = loadsSchemaObjects
        self.withGrants = withGrants
        self.deferIndexes = deferIndexes
    }

    /// The name a database gets on the target.
    public func targetName(of database: String) -> String { self.renames[database] ?? database }
}
