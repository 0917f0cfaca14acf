extension BackupManifest {
    /// The manifest restricted to what `options` loads: its tables, their databases, and the files of both in load
    /// order (views, routines, triggers and events only when ``BackupLoadOptions/loadsSchemaObjects``; the grants
    /// only with ``BackupLoadOptions/withGrants``).
    public func selecting(_ options: BackupLoadOptions) -> BackupManifest {
        var selected = self
        selected.tables = self.tables.filter {
            options.includeDatabase($0.database) && options.includeTable($0.database, $0.table)
        }
        let withTables = Set(selected.tables.map(\.database))
        selected.databases = self.databases.filter { options.includeDatabase($0.name) || withTables.contains($0.name) }
        var keep = Set(selected.databases.map(\.schemaFile))
        keep.formUnion(selected.tables.map(\.schemaFile))
        keep.formUnion(selected.tables.flatMap { $0.chunks.map(\.file) })
        if options.loadsSchemaObjects {
            for database in selected.databases {
                keep.formUnion(
                    [database.viewsFile, database.routinesFile, database.triggersFile, database.eventsFile].compactMap {
                        $0
                    })
            }
        }
        if options.withGrants, let grants = self.grants { keep.insert(grants.file) }
        selected.loadOrder = self.loadOrder.filter { keep.contains($0) }
        return selected
    }

    /// Whether every table and database of the backup is selected.
    public func selectsEverything(_ options: BackupLoadOptions) -> Bool {
        let selected = self.selecting(options)
        return selected.tables.count == self.tables.count && selected.databases.count == self.databases.count
    }
}
