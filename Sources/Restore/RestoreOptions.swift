import BackupStorage
import Recovery

/// What `rewind restore` restores, from where, up to where.
public struct RestoreOptions: Sendable {
    /// The backup (`DIR/<id>` or `s3://bucket/prefix/<id>`).
    public var backup: any BackupStore
    /// An archive directory, a directory of binlog files, or binlog files in order.
    public var binlogs: [String]
    public var stop: RestoreStop
    /// Transactions left out.
    public var skip: [TransactionID]
    /// Apply even when later transactions touch rows of a skipped one.
    public var allowDependent: Bool
    /// `--database`: only these databases (empty: all).
    public var databases: [String]
    /// `--table DB.T`: only these tables (empty: all of the selected databases).
    public var tables: [QualifiedName]
    /// `--into-database OLD=NEW`.
    public var renames: [String: String]
    /// Replace tables the target already holds.
    public var force: Bool
    public var threads: Int
    public var verifyChecksums: Bool

    public init(
        backup: any BackupStore,
        binlogs: [String],
        stop: RestoreStop = .end,
        skip: [TransactionID] = [],
        allowDependent: Bool = false,
        databases: [String] = [],
        tables: [QualifiedName] = [],
        renames: [String: String] = [:],
        force: Bool = false,
        threads: Int = 1,
        verifyChecksums: Bool = true
    ) {
        self.backup = backup
        self.binlogs = binlogs
        self.stop = stop
        self.skip = skip
        self.allowDependent = allowDependent
        self.databases = databases
        self.tables = tables
        self.renames = renames
        self.force = force
        self.threads = threads
        self.verifyChecksums = verifyChecksums
    }

    /// Whether rows and DDL of `database` are restored.
    public func includes(database: String) -> Bool {
        (self.databases.isEmpty || self.databases.contains(database))
            && (self.tables.isEmpty || self.tables.contains { $0.database == database })
    }

    /// Whether rows and DDL of `database`.`table` are restored.
    public func includes(database: String, table: String) -> Bool {
        guard self.databases.isEmpty || self.databases.contains(database) else { return false }
        return self.tables.isEmpty || self.tables.contains(QualifiedName(database: database, table: table))
    }

    /// Whether a filter of databases or tables is given.
    public var isFiltered: Bool { !self.databases.isEmpty || !self.tables.isEmpty }

    /// The name a database gets on the target.
    public func targetName(of database: String) -> String { self.renames[database] ?? database }
}

/// `DB.T`.
public struct QualifiedName: Hashable, Sendable, Codable, CustomStringConvertible {
    public var database: String
    public var table: String

    public init(database: String, table: String) {
        self.database = database
        self.table = table
    }

    /// Parses `db.table` (the first dot splits).
    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
            return nil
        }
        self.database = String(text[..<dot])
        self.table = String(text[text.index(after: dot)...])
    }

    public var description: String { "\(self.database).\(self.table)" }
}
