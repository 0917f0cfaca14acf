import BinlogFormat
import Logging
import MySQLWire
import SQLRendering

/// Row counts and ``RowSetHash``es of tables on a server, computed by Rewind from the rows: `rewind checksum`, and
/// the proof of a restore.
///
/// Each table is cut by its primary or unique key into ranges of about `chunkBytes` (``ChunkPlanner``, as a backup
/// cuts it) and every range is streamed through ``TableChecksum`` on one of the connections, biggest first; a
/// table's hash is the sum of its ranges' hashes. Memory stays flat whatever the table size. Each range is read by
/// its own statement, so on a server that is being written to, a table's ranges are read at slightly different
/// moments: compare quiet servers (a restore target, a stopped replica).
package enum ServerChecksum {
    /// About this many bytes of table data per range (`information_schema.TABLES.DATA_LENGTH`).
    package static let defaultChunkBytes: UInt64 = 32 << 20

    /// The tables the selection covers on the server, sorted by name: base tables (MariaDB's system-versioned ones
    /// too), no views.
    ///
    /// - Throws: ``ChecksumError`` when `information_schema` cannot be read.
    package static func tables(
        matching selection: TableSelection,
        on connection: MySQLConnection
    ) async throws -> [QualifiedTable] {
        var sql = """
            SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES \
            WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
            """
        if !selection.isEverything {
            let names = Set(selection.databases + selection.tables.map(\.database)).sorted()
            sql += " AND TABLE_SCHEMA IN (" + names.map(TextValueLiteral.quoted).joined(separator: ", ") + ")"
        }
        let rows = try await ChecksumError.during("listing the tables") { try await connection.rows(sql) }
        return rows.map { QualifiedTable(database: $0[0].string ?? "", table: $0[1].string ?? "") }
            .filter(selection.includes).sorted()
    }

    /// Opens `threads` connections and computes the tables' hashes on them
    /// (``compute(tables:on:chunkBytes:report:)``).
    ///
    /// - Throws: ``ChecksumError``, or ``MySQLError`` when a connection cannot be opened.
    package static func compute(
        tables: [QualifiedTable],
        configuration: MySQLConnection.Configuration,
        threads: Int,
        logger: Logger,
        chunkBytes: UInt64 = Self.defaultChunkBytes,
        report: @escaping @Sendable (ChecksumEvent) -> Void = { _ in }
    ) async throws -> [TableHash] {
        try await MySQLConnection.withConnections(
            count: max(1, threads),
            configuration: configuration,
            logger: logger
        ) { connections in
            try await self.compute(tables: tables, on: connections, chunkBytes: chunkBytes, report: report)
        }
    }

    /// Each table's row count and hash, in the order of `tables`.
    ///
    /// - Parameters:
    ///   - tables: The tables to hash; each must exist.
    ///   - connections: Planning and hashing run on all of them in parallel (the sessions' character set and time
    ///     zone are changed, see ``TableChecksum/sessionSetup``).
    ///   - chunkBytes: About this many bytes of table data per key range.
    ///   - report: Progress events, from the calling task.
    /// - Returns: One ``TableHash`` per table.
    /// - Throws: ``ChecksumError``: ``ChecksumError/Code-swift.struct/noSuchTable`` naming every table that is not
    ///   on the server, or the server's refusal naming the table and step.
    package static func compute(
        tables: [QualifiedTable],
        on connections: [MySQLConnection],
        chunkBytes: UInt64 = Self.defaultChunkBytes,
        report: @escaping @Sendable (ChecksumEvent) -> Void = { _ in }
    ) async throws -> [TableHash] {
        guard let control = connections.first, !tables.isEmpty else { return [] }
        let sizes = try await self.sizes(of: tables, on: control)

        // Plan: columns, key and ranges of every table, tables in parallel.
        var plans = [[TableChunk]](repeating: [], count: tables.count)
        try await ConnectionWork.run(
            Array(tables.indices),
            on: connections,
            work: { index, connection in
                try await self.plan(
                    tables[index],
                    index: index,
                    size: sizes[index],
                    on: connection,
                    chunkBytes: chunkBytes
                )
            },
            collect: { index, chunks in plans[index] = chunks }
        )
        let chunks = plans.joined().sorted { $0.estimatedBytes > $1.estimatedBytes }
        report(.planned(tables: tables.count, chunks: chunks.count, estimatedBytes: sizes.reduce(0) { $0 + $1.bytes }))

        // Hash: every range on whichever connection is free, biggest first.
        var totals = [RowSetHash](repeating: RowSetHash(), count: tables.count)
        var remaining = plans.map(\.count)
        try await ConnectionWork.run(
            chunks,
            on: connections,
            work: { chunk, connection in
                try await ChecksumError.during("hashing \(tables[chunk.tableIndex])") {
                    try await TableChecksum.compute(
                        table: tables[chunk.tableIndex].table,
                        database: tables[chunk.tableIndex].database,
                        columns: chunk.columns,
                        condition: chunk.condition,
                        on: connection
                    )
                }
            },
            collect: { chunk, hash in
                totals[chunk.tableIndex].add(hash)
                remaining[chunk.tableIndex] -= 1
                report(
                    .chunkDone(table: tables[chunk.tableIndex], rows: hash.rows, estimatedBytes: chunk.estimatedBytes)
                )
                if remaining[chunk.tableIndex] == 0 {
                    report(.tableDone(TableHash(name: tables[chunk.tableIndex], hash: totals[chunk.tableIndex])))
                }
            }
        )
        return zip(tables, totals).map { TableHash(name: $0, hash: $1) }
    }

    /// One key range of a table to hash.
    struct TableChunk: Sendable {
        var tableIndex: Int
        var columns: [TableColumn]
        /// The range's `WHERE` condition, `nil` for the whole table.
        var condition: String?
        var estimatedBytes: UInt64
    }

    /// Size estimates from `information_schema.TABLES`.
    struct TableSize: Sendable {
        var bytes: UInt64
        var rows: UInt64
    }

    /// The tables' size estimates, in order.
    ///
    /// - Throws: ``ChecksumError/Code-swift.struct/noSuchTable`` naming every table the server does not have.
    static func sizes(of tables: [QualifiedTable], on connection: MySQLConnection) async throws -> [TableSize] {
        var found: [QualifiedTable: TableSize] = [:]
        let databases = Set(tables.map(\.database)).sorted()
        let rows = try await ChecksumError.during("reading the table sizes") {
            try await connection.rows(
                """
                SELECT TABLE_SCHEMA, TABLE_NAME, IFNULL(DATA_LENGTH, 0), IFNULL(TABLE_ROWS, 0) \
                FROM information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') \
                AND TABLE_SCHEMA IN (\(databases.map(TextValueLiteral.quoted).joined(separator: ", ")))
                """
            )
        }
        for row in rows {
            let name = QualifiedTable(database: row[0].string ?? "", table: row[1].string ?? "")
            found[name] = TableSize(bytes: row[2].uint64 ?? 0, rows: row[3].uint64 ?? 0)
        }
        let missing = tables.filter { found[$0] == nil }
        guard missing.isEmpty else {
            let shown =
                missing.prefix(10).map(\.description).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw ChecksumError(
                .noSuchTable,
                "\(connection.serverAddress) has no base table \(shown) (or the user may not see it): check the names, "
                    + "or grant SELECT on them"
            )
        }
        return tables.map { found[$0] ?? TableSize(bytes: 0, rows: 0) }
    }

    /// The ranges of one table.
    static func plan(
        _ table: QualifiedTable,
        index: Int,
        size: TableSize,
        on connection: MySQLConnection,
        chunkBytes: UInt64
    ) async throws -> [TableChunk] {
        let planner = ChunkPlanner(control: connection, chunkBytes: chunkBytes)
        let columns = try await ChecksumError.during("reading the columns of \(table)") {
            try await TableChecksum.columns(of: table.table, in: table.database, on: connection)
        }
        guard !columns.isEmpty else {
            throw ChecksumError(
                .noSuchTable,
                "\(table) on \(connection.serverAddress) has no columns this user can see: grant SELECT on it"
            )
        }
        let ranges = try await ChecksumError.during("cutting \(table) into key ranges") {
            let key = try await planner.chunkKey(database: table.database, table: table.table, columns: columns)
            return try await planner.ranges(
                database: table.database,
                table: table.table,
                key: key,
                dataLength: size.bytes,
                estimatedRows: size.rows
            )
        }
        return ranges.map { condition in
            TableChunk(
                tableIndex: index,
                columns: columns,
                condition: condition,
                estimatedBytes: size.bytes / UInt64(ranges.count)
            )
        }
    }
}
