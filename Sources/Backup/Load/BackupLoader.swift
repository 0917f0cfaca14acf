import BackupStorage
import Checksum
import Foundation
import Logging
import MySQLWire
import NIOCore
import SQLRendering

/// `rewind backup load`: loads a complete backup into a server, in parallel, and proves it by hashing every table
/// on the target against the manifest.
///
/// Order: session settings, databases and tables; then on `threads` connections (``LoadPlan``) the chunks (each
/// chunk's rows are hashed while it is sent and compared with the manifest at its end) and, once a table's data is
/// in, its deferred keys and its proof (each chunk's key range hashed on the target); then views, routines,
/// events, and triggers last (after the data, so they do not fire on loaded rows). Each connection sets
/// `sql_log_bin = 0` where the user may, `foreign_key_checks = 0` and `unique_checks = 0`.
public enum BackupLoader {
    public static func load(
        options: BackupLoadOptions,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        report: @escaping @Sendable (BackupEvent) -> Void = { _ in }
    ) async throws -> BackupLoadSummary {
        try await BackupError.mappingStore {
            try await self.loadFromStore(options: options, configuration: configuration, logger: logger, report: report)
        }
    }

    private static func loadFromStore(
        options: BackupLoadOptions,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws -> BackupLoadSummary {
        let root = options.backup
        let server = configuration.endpoint.description
        let full = try await BackupManifest.readComplete(from: root)
        guard !options.withGrants || full.grants != nil else {
            throw BackupError(
                .usage,
                "--with-grants: \(root.location) holds no users or grants (it was taken without --with-grants); load without "
                    + "it, or take a backup with --with-grants"
            )
        }
        let manifest = full.selecting(options)
        for table in manifest.tables { _ = try ChunkReader.kinds(of: table) }
        try await manifest.checkFilesPresent(in: root)
        try await manifest.checkFileDigests(in: root)

        return try await MySQLConnection.withConnection(configuration: configuration, logger: logger) { control in
            try await self.refuseExistingTables(
                manifest, options: options, control: control, force: options.force, server: server)
            let packet = try await PacketLimit.ensure(manifest: manifest, control: control, server: server)
            do {
                let summary = try await self.run(
                    manifest: manifest,
                    options: options,
                    control: control,
                    configuration: configuration,
                    logger: logger,
                    server: server,
                    report: report
                )
                try await packet.restore(control)
                var result = summary
                result.raisedMaxAllowedPacket = packet.raisedTo
                return result
            } catch let damage as BackupError where damage.code == .damagedChunk {
                try? await packet.restore(control)
                // Chunks are checked as they stream in, so the damage shows once its rows are in.
                throw BackupError(
                    .damagedChunk,
                    damage.message + ". The load stopped part-way: what it loaded so far (this chunk's rows among it) "
                        + "stays on \(server), without the views, routines, triggers and events; drop what it created "
                        + "(or load a sound backup with --force). `rewind backup verify` finds such damage before "
                        + "anything is loaded")
            } catch {
                try? await packet.restore(control)
                throw error
            }
        }
    }

    /// Refuses a target that already holds tables, views, routines or events the load would create, unless
    /// `force`: then, once every chunk of the backup is read and matches its hash (a damaged chunk found half-way
    /// would leave the target without the old rows and without the new), they are dropped, foreign key checks off
    /// (a referenced parent would stop the drop half-way).
    private static func refuseExistingTables(
        _ manifest: BackupManifest,
        options: BackupLoadOptions,
        control: MySQLConnection,
        force: Bool,
        server: String
    ) async throws {
        func pairs(_ list: [(String, String)]) -> String {
            list.map { "(\(SQLText.quoted(options.targetName(of: $0.0))), \(SQLText.quoted($0.1)))" }
                .joined(separator: ", ")
        }
        let schemaObjects = options.loadsSchemaObjects ? manifest.databases : []
        let relations =
            manifest.tables.map { ($0.database, $0.table) }
            + schemaObjects.flatMap { database in database.views.map { (database.name, $0) } }
        let routines = schemaObjects.flatMap { database in database.routines.map { (database.name, $0) } }
        let events = schemaObjects.flatMap { database in database.events.map { (database.name, $0) } }
        // (kind as DROP names it, db, name)
        var existing: [(kind: String, database: String, name: String)] = []
        func look(_ what: String, _ sql: String) async throws {
            let rows = try await ServerErrors.during("checking the target for existing \(what)", server: server) {
                try await control.rows(sql)
            }
            for row in rows {
                existing.append((row[0].string ?? "TABLE", row[1].string ?? "", row[2].string ?? ""))
            }
        }
        if !relations.isEmpty {
            try await look(
                "tables and views",
                "SELECT IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE'), TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
                    + "WHERE (TABLE_SCHEMA, TABLE_NAME) IN (\(pairs(relations))) ORDER BY 2, 3")
        }
        if !routines.isEmpty {
            try await look(
                "routines",
                "SELECT ROUTINE_TYPE, ROUTINE_SCHEMA, ROUTINE_NAME FROM information_schema.ROUTINES "
                    + "WHERE (ROUTINE_SCHEMA, ROUTINE_NAME) IN (\(pairs(routines))) ORDER BY 2, 3")
        }
        if !events.isEmpty {
            try await look(
                "events",
                "SELECT 'EVENT', EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS "
                    + "WHERE (EVENT_SCHEMA, EVENT_NAME) IN (\(pairs(events))) ORDER BY 2, 3")
        }
        guard !existing.isEmpty else { return }
        let names = existing.map {
            "\($0.database).\($0.name)" + ($0.kind == "TABLE" ? "" : " (\($0.kind.lowercased()))")
        }
        let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
        guard force else {
            throw BackupError(
                .targetNotEmpty,
                "the target \(server) already holds \(names.count) of the backup's tables, views, routines or events "
                    + "(\(shown)): load into a server without them, or pass --force to drop and replace them"
            )
        }
        do {
            _ = try await BackupVerifier.verify(options.backup)
        } catch let error as BackupError {
            throw BackupError(
                error.code,
                error.message
                    + "; --force dropped nothing on \(server) (\(names.count) of its objects would have gone: "
                    + shown + ")")
        }
        _ = try await ServerErrors.during("turning foreign key checks off to drop", server: server) {
            try await control.query("SET SESSION foreign_key_checks = 0")
        }
        // Views first: one may read a table that goes.
        for object in existing.sorted(by: { ($0.kind == "VIEW" ? 0 : 1) < ($1.kind == "VIEW" ? 0 : 1) }) {
            let name = SQLText.qualified(object.database, object.name)
            _ = try await ServerErrors.during("dropping \(object.database).\(object.name)", server: server) {
                try await control.query("DROP \(object.kind) IF EXISTS \(name)")
            }
        }
        _ = try await ServerErrors.during("turning foreign key checks on again", server: server) {
            try await control.query("SET SESSION foreign_key_checks = 1")
        }
    }

    private static func run(
        manifest: BackupManifest,
        options: BackupLoadOptions,
        control: MySQLConnection,
        configuration: MySQLConnection.Configuration,
        logger: Logger,
        server: String,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws -> BackupLoadSummary {
        let root = options.backup
        let binlogOff = try await self.prepare(control, server: server)
        let dataFiles = Set(manifest.tables.flatMap { $0.chunks.map(\.file) })
        guard
            let firstData = manifest.loadOrder.firstIndex(where: { dataFiles.contains($0) })
                ?? .some(manifest.loadOrder.count)
        else {
            throw BackupError(.notABackup, "no load order")
        }
        let before = manifest.loadOrder[..<firstData].filter { !dataFiles.contains($0) }
        let after = manifest.loadOrder[firstData...].filter { !dataFiles.contains($0) }
        let deferred = options.deferIndexes ? try await self.deferredIndexes(manifest, root: root) : [:]
        for file in before {
            try await self.runScript(
                file, root: root, on: control, server: server, rewrite: self.rewrite(file, manifest, options, deferred))
        }
        report(.step("schema loaded"))

        // Chunks load on `threads` connections; as soon as a table's last chunk is in, its deferred keys are added
        // and its chunks proved (each key range hashed on the target), on the same connections: the server's long
        // single-threaded `ALTER TABLE` and the read-back overlap the load of the other tables.
        let plan = LoadPlan(
            chunks: manifest.tables.map { $0.chunks.map { (rows: $0.rows, bytes: $0.bytes) } },
            hasDeferredKeys: manifest.tables.map { deferred[$0.schemaFile] != nil }
        )
        let chunkCount = manifest.tables.reduce(0) { $0 + $1.chunks.count }
        let scheduler = LoadScheduler(plan)
        let threads = max(1, min(options.threads, max(1, chunkCount)))
        try await MySQLConnection.withConnections(count: threads, configuration: configuration, logger: logger) {
            workers in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers {
                    group.addTask {
                        do {
                            _ = try await self.prepare(worker, server: server)
                            while let work = await scheduler.next() {
                                try await self.perform(
                                    work, manifest: manifest, options: options, deferred: deferred, root: root,
                                    on: worker, server: server, report: report)
                                if let table = await scheduler.finished(work) {
                                    let done = manifest.tables[table]
                                    report(.tableDone(table: done.qualifiedName, rows: done.rows))
                                }
                            }
                        } catch {
                            await scheduler.stop()
                            throw error
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Tables without chunks have nothing to prove.
        for table in manifest.tables where table.chunks.isEmpty {
            report(.tableDone(table: table.qualifiedName, rows: table.rows))
        }
        let keyed = deferred.count
        if keyed > 0 { report(.step("secondary keys added after the data (\(keyed) tables)")) }
        for file in after {
            try await self.runScript(
                file, root: root, on: control, server: server, rewrite: self.rewrite(file, manifest, options, deferred))
        }
        report(
            .step(
                manifest.grants != nil && options.withGrants
                    ? "views, routines, events, triggers, users and grants loaded"
                    : "views, routines, events and triggers loaded"))
        report(.step("every table's hash on the target equals the manifest"))
        return BackupLoadSummary(
            tables: manifest.tables.count,
            chunks: chunkCount,
            rows: manifest.totalRows,
            binlogOff: binlogOff,
            raisedMaxAllowedPacket: nil,
            verifiedTables: manifest.tables.count
        )
    }

    /// Session settings of a load connection; returns whether the binlog is off for it.
    private static func prepare(_ connection: MySQLConnection, server: String) async throws -> Bool {
        _ = try await ServerErrors.during("preparing a load connection", server: server) {
            try await connection.query(TableChecksum.sessionSetup)
        }
        _ = try await ServerErrors.during("preparing a load connection", server: server) {
            try await connection.query(
                "SET SESSION sql_mode = '\(SessionScript.sqlMode)', foreign_key_checks = 0, unique_checks = 0"
            )
        }
        do {
            _ = try await connection.query("SET SESSION sql_log_bin = 0")
            return true
        } catch let error as MySQLError where error.code == .server {
            return false
        }
    }

    private static func loadChunk(
        _ chunk: BackupChunk,
        table: BackupTable,
        into database: String,
        root: any BackupStore,
        on connection: MySQLConnection,
        server: String
    ) async throws {
        let reader = try await ChunkReader(store: root, table: table, chunk: chunk)
        // Rows go to `database`.`table`: under another name, the INSERT's qualified table is rewritten.
        let from = Array("INSERT INTO \(SQLText.qualified(table.database, table.table)) ".utf8)
        let to = Array("INSERT INTO \(SQLText.qualified(database, table.table)) ".utf8)
        while var statement = try await reader.next() {
            if from != to, statement.withUnsafeBytes({ $0.starts(with: from) }) {
                var renamed = MySQLStatementBuffer(capacity: statement.count - from.count + to.count)
                renamed.append(contentsOf: to)
                statement.withUnsafeBytes { renamed.append(UnsafeRawBufferPointer(rebasing: $0.dropFirst(from.count))) }
                statement = renamed
            }
            do {
                _ = try await ServerErrors.during("loading \(chunk.file) into \(table.qualifiedName)", server: server) {
                    try await connection.query(statement)
                }
            } catch {
                // A damaged file can decompress into statements the server refuses (its checksum is only checked
                // at the end): read the rest, and name the damage rather than its symptom.
                do {
                    while try await reader.next() != nil {}
                } catch let damage as BackupError where damage.code == .damagedChunk {
                    throw BackupError(.damagedChunk, damage.message + " (the server refused it: \(error))")
                }
                throw error
            }
        }
    }

    /// How a schema file's text changes for the target: a renamed database's `CREATE DATABASE … USE` names the new
    /// name; a table's `CREATE TABLE` (unqualified) runs after a `USE` of the table's database on the target.
    private static func rewrite(
        _ file: String,
        _ manifest: BackupManifest,
        _ options: BackupLoadOptions,
        _ deferred: [String: DeferredIndexes]
    ) -> @Sendable ([UInt8]) -> [UInt8] {
        if let database = manifest.databases.first(where: { $0.schemaFile == file }),
            options.renames[database.name] != nil
        {
            let from = Array(SQLText.identifier(database.name).utf8)
            let to = Array(SQLText.identifier(options.targetName(of: database.name)).utf8)
            return { text in text.replacingOccurrences(of: from, with: to) }
        }
        if let table = manifest.tables.first(where: { $0.schemaFile == file }) {
            let use = Array("USE \(SQLText.identifier(options.targetName(of: table.database)));\n".utf8)
            let withoutKeys = deferred[file]?.createTable
            return { text in use + (withoutKeys ?? text) }
        }
        return { $0 }
    }

    /// The tables whose secondary keys wait for their data (``DeferredIndexes``), by schema file.
    private static func deferredIndexes(_ manifest: BackupManifest, root: any BackupStore) async throws
        -> [String: DeferredIndexes]
    {
        var texts: [String: [UInt8]] = [:]
        for table in manifest.tables {
            guard let data = try await root.read(table.schemaFile) else {
                throw BackupError(.damagedChunk, "cannot read \(root.location(of: table.schemaFile))")
            }
            texts[table.schemaFile] = data
        }
        var result: [String: DeferredIndexes] = [:]
        for table in manifest.tables {
            let reference = Array("REFERENCES ".utf8)
            let bare = reference + Array(SQLText.identifier(table.table).utf8) + [0x20]
            let qualified = reference + Array(SQLText.qualified(table.database, table.table).utf8)
            let isReferenced = texts.values.contains { text in
                text.firstRange(of: bare) != nil || text.firstRange(of: qualified) != nil
            }
            let split = DeferredIndexes.split(texts[table.schemaFile] ?? [], isReferenced: isReferenced)
            if !split.keys.isEmpty { result[table.schemaFile] = split }
        }
        return result
    }

    /// Does one piece of a load's work on `connection`.
    private static func perform(
        _ work: LoadPlan.Work,
        manifest: BackupManifest,
        options: BackupLoadOptions,
        deferred: [String: DeferredIndexes],
        root: any BackupStore,
        on connection: MySQLConnection,
        server: String,
        report: @escaping @Sendable (BackupEvent) -> Void
    ) async throws {
        switch work {
        case .load(let tableIndex, let chunkIndex):
            let table = manifest.tables[tableIndex]
            let chunk = table.chunks[chunkIndex]
            try await self.loadChunk(
                chunk, table: table, into: options.targetName(of: table.database), root: root, on: connection,
                server: server)
            report(.chunkDone(table: table.qualifiedName, file: chunk.file, rows: chunk.rows, bytes: chunk.bytes))
        case .addKeys(let tableIndex):
            let table = manifest.tables[tableIndex]
            guard
                let alter = deferred[table.schemaFile]?.alterStatement(
                    database: options.targetName(of: table.database), table: table.table)
            else { return }
            _ = try await ServerErrors.during("adding the secondary keys of \(table.qualifiedName)", server: server) {
                try await connection.query(alter)
            }
        case .prove(let tableIndex, let chunkIndex):
            try await self.prove(
                chunk: manifest.tables[tableIndex].chunks[chunkIndex], of: manifest.tables[tableIndex],
                options: options, on: connection, server: server)
        }
    }

    /// The proof of one chunk: its key range (the whole table for a table read as one stream), hashed on the
    /// target, equals the manifest. Ranges cover the whole table, so the tables' hashes and row counts are equal too.
    private static func prove(
        chunk: BackupChunk,
        of table: BackupTable,
        options: BackupLoadOptions,
        on connection: MySQLConnection,
        server: String
    ) async throws {
        let columns = try table.columns.map { column in
            guard let kind = SQLValueKind(token: column.kind) else {
                throw BackupError(.notABackup, "unknown column kind \(column.kind)")
            }
            return TableColumn(name: column.name, kind: kind)
        }
        let hash = try await ServerErrors.during("hashing \(table.qualifiedName)", server: server) {
            try await TableChecksum.compute(
                table: table.table,
                database: options.targetName(of: table.database),
                columns: columns,
                condition: chunk.range,
                on: connection
            )
        }
        guard hash.hex == chunk.hash, hash.rows == chunk.rows else {
            throw BackupError(
                .mismatch,
                "after the load, \(table.qualifiedName) on \(server) has \(hash.rows) rows with hash \(hash.hex) in the "
                    + "range of \(chunk.file); the backup has \(chunk.rows) rows with hash \(chunk.hash): something "
                    + "changed the table during the load (a trigger, an event, another client), or the target converts "
                    + "values differently"
            )
        }
    }

    /// Runs a schema file (with `DELIMITER` lines) statement by statement.
    private static func runScript(
        _ file: String,
        root: any BackupStore,
        on connection: MySQLConnection,
        server: String,
        rewrite: ([UInt8]) -> [UInt8] = { $0 }
    ) async throws {
        guard let data = try await root.read(file) else {
            throw BackupError(.damagedChunk, "cannot read \(root.location(of: file))")
        }
        var statements: [ByteBuffer] = []
        var splitter = SQLScriptSplitter()
        try rewrite(data).withUnsafeBytes { bytes in
            try splitter.feed(bytes) { statements.append(ByteBuffer(bytes: $0)) }
        }
        try splitter.finish { statements.append(ByteBuffer(bytes: $0)) }
        for statement in statements {
            _ = try await ServerErrors.during("loading \(file)", server: server) {
                try await connection.query(bytes: statement)
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// Every occurrence of `pattern` replaced by `replacement`, left to right.
    func replacingOccurrences(of pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard !pattern.isEmpty, self.count >= pattern.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(self.count)
        var index = 0
        while index < self.count {
            if index + pattern.count <= self.count, self[index..<index + pattern.count].elementsEqual(pattern) {
                result += replacement
                index += pattern.count
            } else {
                result.append(self[index])
                index += 1
            }
        }
        return result
    }
}
