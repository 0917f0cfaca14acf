import BackupStorage
import Checksum
import Foundation
import Logging
import MySQLWire

/// `rewind backup create`: a consistent logical snapshot of a server in `<catalog>/<id>/` (a directory or an S3
/// prefix: the ``BackupStore`` seam).
///
/// MariaDB: `BACKUP STAGE START` and `BACKUP STAGE BLOCK_DDL` on a control connection for the whole run (no table
/// can change its definition), then ``MariaDBSnapshot`` opens the same snapshot in every worker without blocking
/// commits. MySQL 8: `LOCK INSTANCE FOR BACKUP` for the whole run, then ``MySQLSnapshot`` opens the snapshots under
/// a brief `FLUSH TABLES WITH READ LOCK` (``ConsistencyMethod`` chooses by version). Then the schema is read, tables
/// are cut into chunks (``ChunkPlanner``) and the workers dump the chunks (``ChunkDumper``), biggest first. The manifest is
/// written `incomplete` first (with a heartbeat renewed while the backup runs) and `complete` only after every file
/// is stored whole and durably (``ManifestKeeper``).
public enum BackupCreator {
    /// Takes a backup.
    ///
    /// - Parameters:
    ///   - options: Catalog, threads, filters.
    ///   - configuration: How to reach the server.
    ///   - logger: Connection debug logs.
    ///   - now: The clock for the id and times.
    ///   - report: Progress events.
    /// - Returns: The complete manifest.
    /// - Throws: ``BackupError``; the backup then holds an `incomplete` manifest (when it got as far as writing one).
    public static func create(
        options: BackupCreateOptions,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        report: @escaping @Sendable (BackupEvent) -> Void = { _ in }
    ) async throws -> BackupManifest {
        try await BackupError.mappingStore {
            try await self.createInStore(
                options: options, configuration: configuration, logger: logger, now: now, report: report)
        }
    }

    private static func createInStore(
        options: BackupCreateOptions,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        now: @escaping @Sendable () -> Date,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws -> BackupManifest {
        let server = configuration.endpoint.description
        guard options.threads >= 1 else { throw BackupError(.usage, "--threads must be at least 1") }
        for warning in try await options.catalog.prepareForWriting() { report(.warning(warning)) }
        let started = now()
        let id = BackupID.make(started)
        let store = options.catalog.descending(into: id)
        guard try await store.files().isEmpty else {
            throw BackupError(.io, "\(store.location) already exists: a backup started in the same second; try again")
        }

        return try await MySQLConnection.withConnections(
            count: options.threads + 1,
            configuration: configuration,
            logger: logger
        ) { connections in
            let control = connections[0]
            let workers = Array(connections.dropFirst())
            let identity = try await self.identify(control, server: server, address: server)
            try await self.checkNamedObjectsExist(options, control, server: server)
            let method = try ConsistencyMethod.select(
                isMariaDB: identity.flavor == "mariadb",
                version: identity.version,
                server: server
            )
            var manifest = BackupManifest(
                id: id,
                server: identity,
                startedAt: started,
                threads: options.threads,
                rewindVersion: options.rewindVersion,
                hashAlgorithm: RowSetHash.algorithm
            )
            manifest.writer = BackupWriter.current(at: started)
            let keeper = ManifestKeeper(store: store)
            try await keeper.reserve(manifest)
            do {
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    // The heartbeat: `prune` leaves a backup alone while it renews it (``BackupWriter``).
                    group.addTask {
                        while true {
                            try await Task.sleep(for: options.heartbeatInterval)
                            await keeper.beat(at: now())
                        }
                    }
                    let complete = try await self.run(
                        manifest: manifest,
                        options: options,
                        method: method,
                        control: control,
                        workers: workers,
                        store: store,
                        keeper: keeper,
                        server: server,
                        now: now,
                        report: report
                    )
                    group.cancelAll()
                    return complete
                }
            } catch {
                await keeper.fail("\(error)", at: now())
                throw error
            }
        }
    }

    private static func run(
        manifest: BackupManifest,
        options: BackupCreateOptions,
        method: ConsistencyMethod,
        control: MySQLConnection,
        workers: [MySQLConnection],
        store: any BackupStore,
        keeper: ManifestKeeper,
        server: String,
        now: @Sendable () -> Date,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws -> BackupManifest {
        var manifest = manifest
        _ = try await ServerErrors.during("preparing the control connection", server: server) {
            try await control.query(TableChecksum.sessionSetup)
        }
        let ddlBlocked = ContinuousClock.now
        let snapshot: OpenSnapshot
        switch method {
        case .backupStage:
            for stage in ["BACKUP STAGE START", "BACKUP STAGE BLOCK_DDL"] {
                _ = try await ServerErrors.during(stage, server: server) { try await control.query(stage) }
            }
            snapshot = try await MariaDBSnapshot.open(
                workers: workers,
                control: control,
                maximumAttempts: options.maximumSnapshotAttempts,
                server: server
            )
        case .instanceLock(let binaryLogStatus):
            _ = try await ServerErrors.during("LOCK INSTANCE FOR BACKUP", server: server) {
                try await control.query("LOCK INSTANCE FOR BACKUP")
            }
            snapshot = try await MySQLSnapshot.open(
                workers: workers,
                control: control,
                binaryLogStatus: binaryLogStatus,
                policy: options.readLock,
                server: server,
                report: report
            )
        }
        manifest.snapshotAt = now()
        manifest.binlog = snapshot.binlog
        manifest.gtidSet = snapshot.gtidSet
        manifest.snapshotAttempts = snapshot.attempts
        manifest.consistency = method.token
        manifest.lockHeldMS = Int(snapshot.lockHeld / .milliseconds(1))
        report(.snapshot(binlog: snapshot.binlog, gtidSet: snapshot.gtidSet, attempts: snapshot.attempts))

        let schema = try await SchemaWriter(control: control, store: store, server: server).write(options: options)
        manifest.databases = schema.databases
        if options.withGrants {
            // Read while account changes are blocked (MySQL's instance lock; MariaDB does not block them).
            let grants = try await GrantsWriter(control: control, isMariaDB: method == .backupStage, server: server)
                .write(to: store, named: options.grantAccounts)
            manifest.grants = grants
            report(.step("grants written: \(grants.users.count) users, \(grants.roles.count) roles"))
        }
        let planner = ChunkPlanner(control: control, chunkBytes: options.chunkBytes)
        var plans: [ChunkPlan] = []
        var tableColumns: [[TableColumn]] = []
        for info in schema.tables {
            let columns = try await ServerErrors.during(
                "reading the columns of \(info.database).\(info.table)", server: server
            ) {
                try await TableChecksum.columns(of: info.table, in: info.database, on: control)
            }
            let key = try await ServerErrors.during(
                "reading the keys of \(info.database).\(info.table)", server: server
            ) {
                try await planner.chunkKey(database: info.database, table: info.table, columns: columns)
            }
            var table = BackupTable(
                database: info.database,
                table: info.table,
                engine: info.engine,
                schemaFile: schema.tableSchemaFiles["\(info.database).\(info.table)"] ?? "",
                columns: columns.map { BackupColumn(name: $0.name, kind: $0.kind.token) },
                chunkKey: key.map(\.name)
            )
            let ranges = try await ServerErrors.during(
                "cutting \(info.database).\(info.table) into chunks", server: server
            ) {
                try await planner.ranges(
                    database: info.database,
                    table: info.table,
                    key: key,
                    dataLength: info.dataLength,
                    estimatedRows: info.estimatedRows
                )
            }
            for (index, condition) in ranges.enumerated() {
                plans.append(
                    ChunkPlan(
                        tableIndex: manifest.tables.count,
                        chunkIndex: index,
                        file: BackupPaths.chunk(info.database, info.table, index: index + 1),
                        condition: condition,
                        estimatedBytes: info.dataLength / UInt64(ranges.count)
                    )
                )
            }
            table.chunks = []
            manifest.tables.append(table)
            tableColumns.append(columns)
        }
        try await keeper.save(manifest)
        report(
            .planned(
                tables: manifest.tables.count, chunks: plans.count,
                estimatedBytes: schema.tables.reduce(0) { $0 + $1.dataLength }))

        let queue = ChunkQueue(plans.sorted { $0.estimatedBytes > $1.estimatedBytes })
        let tables = manifest.tables
        let columnsByTable = tableColumns
        let dumper = ChunkDumper(store: store)
        let done = try await withThrowingTaskGroup(of: [(ChunkPlan, BackupChunk)].self) { group in
            for worker in workers {
                group.addTask {
                    var results: [(ChunkPlan, BackupChunk)] = []
                    while let plan = await queue.next() {
                        let table = tables[plan.tableIndex]
                        let chunk = try await dumper.dump(
                            plan: plan,
                            table: table,
                            columns: columnsByTable[plan.tableIndex],
                            on: worker,
                            server: server
                        )
                        report(
                            .chunkDone(
                                table: table.qualifiedName, file: chunk.file, rows: chunk.rows, bytes: chunk.bytes))
                        results.append((plan, chunk))
                    }
                    _ = try await ServerErrors.during("COMMIT", server: server) { try await worker.query("COMMIT") }
                    return results
                }
            }
            var all: [(ChunkPlan, BackupChunk)] = []
            for try await results in group { all += results }
            return all
        }
        let unlock = method == .backupStage ? "BACKUP STAGE END" : "UNLOCK INSTANCE"
        _ = try await ServerErrors.during(unlock, server: server) { try await control.query(unlock) }
        manifest.ddlLockHeldMS = Int((ContinuousClock.now - ddlBlocked) / .milliseconds(1))

        for (plan, chunk) in done.sorted(by: { ($0.0.tableIndex, $0.0.chunkIndex) < ($1.0.tableIndex, $1.0.chunkIndex) }
        ) {
            manifest.tables[plan.tableIndex].chunks.append(chunk)
        }
        var dataFiles: [String] = []
        for index in manifest.tables.indices {
            var total = RowSetHash()
            for chunk in manifest.tables[index].chunks {
                total.add(RowSetHash(value: RowSetHash.value(hex: chunk.hash) ?? 0, rows: chunk.rows))
                dataFiles.append(chunk.file)
            }
            manifest.tables[index].rows = total.rows
            manifest.tables[index].hash = total.hex
            report(.tableDone(table: manifest.tables[index].qualifiedName, rows: total.rows))
        }
        manifest.loadOrder = schema.before + dataFiles + schema.after
        if let grants = manifest.grants { manifest.loadOrder.append(grants.file) }
        // The files that are not chunks get their SHA-256 in the manifest, read back as stored.
        let chunkFiles = Set(dataFiles)
        var digests: [String: String] = [:]
        for path in manifest.loadOrder where !chunkFiles.contains(path) {
            guard let bytes = try await store.read(path) else {
                throw BackupError(.io, "\(store.location(of: path)) was written but cannot be read back")
            }
            digests[path] = BackupFileDigest.hex(bytes)
        }
        manifest.fileDigests = digests
        // Every file is whole and durable (each was fsynced or stored when written); now their names too. Only
        // then does the manifest say `complete`.
        try await store.syncDirectories(of: manifest.loadOrder)
        manifest.state = .complete
        manifest.finishedAt = now()
        try await keeper.save(manifest)
        return manifest
    }

    /// Refuses a `--database` or `--table` that names nothing on the server, before the backup's directory is
    /// made: a typo would otherwise give a "complete" backup of nothing, which `prune --keep` counts.
    private static func checkNamedObjectsExist(
        _ options: BackupCreateOptions, _ control: MySQLConnection, server: String
    ) async throws {
        if !options.databases.isEmpty {
            let rows = try await ServerErrors.during("listing databases", server: server) {
                try await control.rows("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
            }
            let present = Set(rows.compactMap { $0[0].string })
            let missing = options.databases.filter { !present.contains($0) }
            if !missing.isEmpty {
                throw BackupError(
                    .usage,
                    "--database \(missing.joined(separator: ", ")): no such database on \(server) (it has "
                        + "\(present.sorted().joined(separator: ", "))); check the name (names are case-sensitive)")
            }
        }
        for name in options.tables {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw BackupError(.usage, "--table \(name): give it as database.table")
            }
            let rows = try await ServerErrors.during("looking up \(name)", server: server) {
                try await control.rows(
                    "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                        + "\(SQLText.quoted(parts[0])) AND TABLE_NAME = \(SQLText.quoted(parts[1]))")
            }
            if rows.isEmpty {
                throw BackupError(
                    .usage,
                    "--table \(name): no such table or view on \(server); check the name (`SHOW TABLES FROM "
                        + "\(SQLText.identifier(parts[0]))` lists them)")
            }
        }
        // Kinds of table the backup does not take (their rows and state are not plain rows): refused before anything
        // is written, rather than left out of a backup that says "complete".
        let others = try await ServerErrors.during("listing the kinds of tables", server: server) {
            try await control.rows(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                    + "WHERE TABLE_TYPE NOT IN ('BASE TABLE', 'VIEW', 'SYSTEM VIEW', 'TEMPORARY') "
                    + "ORDER BY TABLE_SCHEMA, TABLE_NAME")
        }
        let unsupported = others.compactMap { row -> String? in
            guard let database = row[0].string, let table = row[1].string, let type = row[2].string,
                options.includes(database: database, table: table)
            else { return nil }
            return "\(database).\(table) (\(type))"
        }
        if !unsupported.isEmpty {
            throw BackupError(
                .usage,
                "\(server) has tables rewind backup does not take yet: "
                    + unsupported.prefix(10).joined(separator: ", ") + (unsupported.count > 10 ? ", …" : "")
                    + ". A system-versioned table's history and a sequence's state are not rows a logical backup "
                    + "reloads as they were; leaving them out would make a backup that says complete but is not. "
                    + "Choose what to back up with --table (or --exclude-database), and dump those with "
                    + "mariadb-dump; nothing was written")
        }
    }

    private static func identify(_ control: MySQLConnection, server: String, address: String) async throws
        -> BackupServer
    {
        let isMariaDB = await control.isMariaDB
        let uuid = isMariaDB ? "NULL" : "@@server_uuid"
        let rows = try await ServerErrors.during("reading the server's identity", server: server) {
            try await control.rows("SELECT @@version, @@server_id, @@hostname, @@port, @@datadir, \(uuid)")
        }
        guard let row = rows.first else { throw BackupError(.server, "\(server) did not say who it is") }
        return BackupServer(
            flavor: isMariaDB ? "mariadb" : "mysql",
            version: row[0].string ?? "",
            serverID: UInt32(row[1].uint64 ?? 0),
            serverUUID: row[5].string,
            hostname: row[2].string ?? "",
            port: Int(row[3].int64 ?? 0),
            datadir: row[4].string ?? "",
            address: address
        )
    }
}
