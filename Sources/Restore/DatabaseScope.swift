import BinlogFormat
import Recovery

/// Which databases the replay may touch: the ones the backup gave the target (as selected), and those created by
/// the replayed binlog itself; under `--into-database`, only renamed ones. Changes to any other database (one the
/// backup left out, `mysql`) are not replayed: the target never had their earlier state.
struct DatabaseScope: Hashable, Sendable {
    private(set) var databases: Set<String>
    let options: RestoreOptions

    init(backupDatabases: [String], options: RestoreOptions) {
        self.options = options
        self.databases = Set(backupDatabases.filter { options.renames.isEmpty || options.renames[$0] != nil })
    }

    func contains(_ database: String) -> Bool {
        self.databases.contains(database) && self.options.includes(database: database)
    }

    /// Whether rows of `database`.`table` are replayed.
    func includes(database: String, table: String) -> Bool {
        self.databases.contains(database) && self.options.includes(database: database, table: table)
    }

    /// Whether a statement is replayed; a replayed `CREATE DATABASE` adds its database to the scope.
    mutating func admits(_ query: QueryEvent) -> Bool {
        let targets = StatementTargets(query.query, defaultDatabase: query.databaseName)
        if let created = targets.createdDatabase {
            guard self.options.includes(database: created), self.options.tables.isEmpty,
                self.options.renames.isEmpty || self.options.renames[created] != nil
            else { return false }
            self.databases.insert(created)
            return true
        }
        if let dropped = targets.droppedDatabase {
            return self.options.tables.isEmpty && self.contains(dropped)
        }
        if targets.isUnderstood, !targets.tables.isEmpty {
            return targets.tables.contains { self.includes(database: $0.database, table: $0.table) }
        }
        // Views, triggers, routines, events: replayed for a whole database in scope (the one they name).
        if let database = targets.objectDatabase { return self.options.tables.isEmpty && self.contains(database) }
        // Not understood (grants…): replayed only for a whole database in scope, and run in it.
        return self.options.tables.isEmpty && !query.database.isEmpty && self.contains(query.databaseName)
    }
}

extension DatabaseScope {
    /// The database `query` (admitted by ``admits(_:)``) is run in: its own current database, or, when that one is
    /// not restored (`--database shop` and `USE tl; UPDATE shop.items …`: the target has no `tl`), the database of
    /// the restored table it names, which it names with its database (an unqualified name would be in `tl`).
    func currentDatabase(for query: QueryEvent) -> String {
        let current = query.databaseName
        guard !current.isEmpty, !self.contains(current) else { return current }
        let targets = StatementTargets(query.query, defaultDatabase: current)
        return targets.tables.first { self.includes(database: $0.database, table: $0.table) }?.database ?? current
    }

    /// Whether `query`, not replayed (``admits(_:)`` said no), is one Rewind cannot tie to any database: not
    /// understood, naming no view, routine, trigger, event or database, and run without a current database in scope
    /// (`GRANT`, `CREATE USER`, a multi-table statement). The plan lists those: they may matter to the target.
    static func isUnplaced(_ query: QueryEvent) -> Bool {
        let targets = StatementTargets(query.query, defaultDatabase: query.databaseName)
        return !targets.isUnderstood && targets.objectDatabase == nil && targets.createdDatabase == nil
            && targets.droppedDatabase == nil
    }
}

extension DatabaseScope: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.databases == rhs.databases }
    func hash(into hasher: inout Hasher) { hasher.combine(self.databases) }
}
