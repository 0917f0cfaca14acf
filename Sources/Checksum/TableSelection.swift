import BinlogFormat

/// Which tables a checksum covers: the base tables of the databases named with `--database` and the tables named
/// with `--table` (either adds); with neither, every base table of every database but the system ones.
package struct TableSelection: Hashable, Sendable {
    /// Schemas left out unless named: they hold the server's own state, not data.
    package static let systemDatabases: Set<String> = ["mysql", "information_schema", "performance_schema", "sys"]

    package var databases: [String]
    package var tables: [QualifiedTable]

    package init(databases: [String] = [], tables: [QualifiedTable] = []) {
        self.databases = databases
        self.tables = tables
    }

    /// Whether `database` is one of ``systemDatabases`` (names compared without case, as the server does).
    package static func isSystem(database: String) -> Bool {
        self.systemDatabases.contains(database.lowercased())
    }

    /// Whether no database or table was named (every non-system database is covered).
    package var isEverything: Bool { self.databases.isEmpty && self.tables.isEmpty }

    /// Whether `name` is covered.
    package func includes(_ name: QualifiedTable) -> Bool {
        if self.isEverything { return !Self.isSystem(database: name.database) }
        return self.databases.contains(name.database) || self.tables.contains(name)
    }
}
