import Backup
import Foundation
import MySQLWire
import SQLRendering

/// The checks on the target that come before anything is written to it (and all that `--dry-run` does there).
struct RestorePreflight: Sendable {
    var isMariaDB: Bool
    var binlogOn: Bool
    var isSource: Bool
    var maxAllowedPacket: Int
    var progress: RestoreProgress?

    static func run(
        plan: RestorePlan, options: RestoreOptions, restoreID: String, formatDescription: [UInt8],
        on control: MySQLConnection, server: String
    ) async throws -> RestorePreflight {
        let manifest = try await BackupManifest.read(from: options.backup)
        let isMariaDB = await control.isMariaDB
        guard isMariaDB == (manifest.server.flavor == "mariadb") else {
            throw RestoreError(
                .refused,
                "backup \(manifest.id) is of a \(manifest.server.flavor) server and \(server) is "
                    + "\(isMariaDB ? "MariaDB" : "MySQL"): binlog events are replayed by a server of the same kind; "
                    + "restore into a \(manifest.server.flavor) server"
            )
        }
        let rows = try await Self.query(
            control, server: server,
            "SELECT @@hostname, @@port, @@datadir, @@log_bin, @@max_allowed_packet"
                + (isMariaDB ? ", NULL" : ", @@server_uuid"))
        let row = rows.first
        let hostname = row?[0].string ?? ""
        let port = Int(row?[1].int64 ?? 0)
        let datadir = row?[2].string ?? ""
        let binlogOn = (row?[3].int64 ?? 0) != 0
        let packet = Int(row?[4].int64 ?? 16 << 20)
        let isSource: Bool
        if let uuid = manifest.server.serverUUID, let targetUUID = row?[5].string {
            isSource = uuid == targetUUID
        } else {
            isSource =
                hostname == manifest.server.hostname && port == manifest.server.port
                && (datadir as NSString).standardizingPath == (manifest.server.datadir as NSString).standardizingPath
        }
        let selected = manifest.selecting(options.loadOptions)
        if isSource {
            let unrenamed = Set(selected.databases.map(\.name)).subtracting(options.renames.keys).sorted()
            if !unrenamed.isEmpty {
                throw RestoreError(
                    .refused,
                    "\(server) is the server backup \(manifest.id) was taken from (same \(manifest.server.serverUUID != nil ? "server_uuid" : "hostname, port and datadir")): "
                        + "restoring there would overwrite the live \(unrenamed.joined(separator: ", ")). Restore into "
                        + "another server, or beside the live data with --into-database "
                        + "\(unrenamed.first!)=\(unrenamed.first!)_restored for each database"
                )
            }
        }
        let progress = try await RestoreProgress.read(id: restoreID, on: control, server: server)
        if progress == nil, !options.force, !selected.tables.isEmpty {
            let pairs = selected.tables.map {
                "(\(Self.literal(options.targetName(of: $0.database))), \(Self.literal($0.table)))"
            }
            let existing = try await Self.query(
                control, server: server,
                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE (TABLE_SCHEMA, TABLE_NAME) IN ("
                    + pairs.joined(separator: ", ") + ") ORDER BY 1, 2")
            if !existing.isEmpty {
                let names = existing.prefix(5).map { "\($0[0].string ?? "").\($0[1].string ?? "")" }
                throw RestoreError(
                    .refused,
                    "\(server) already holds \(existing.count) of the tables the restore would create ("
                        + names.joined(separator: ", ") + (existing.count > 5 ? ", …" : "")
                        + "): restore into a server "
                        + "without them, rename with --into-database OLD=NEW, or pass --force to replace them"
                )
            }
        }
        // BINLOG needs SUPER (MySQL) or BINLOG REPLAY (MariaDB); replaying the format description changes nothing.
        do {
            _ = try await control.query(
                String(decoding: BinlogStatementBuilder.statementText(formatDescription), as: UTF8.self))
        } catch let error as MySQLError where error.code == .server {
            throw RestoreError(
                .refused,
                "\(server) refuses BINLOG statements for this user (\(error)): the restore replays row events with "
                    + "them; grant \(isMariaDB ? "BINLOG REPLAY" : "SUPER or BINLOG_ADMIN") to the restoring user"
            )
        }
        return RestorePreflight(
            isMariaDB: isMariaDB, binlogOn: binlogOn, isSource: isSource, maxAllowedPacket: packet, progress: progress)
    }

    /// `text` as a quoted SQL string literal (the one escaping, ``TextValueLiteral/quoted(_:)``).
    static func literal(_ text: String) -> String { TextValueLiteral.quoted(text) }

    static func query(_ connection: MySQLConnection, server: String, _ sql: String) async throws -> [MySQLRow] {
        do {
            return try await connection.rows(sql)
        } catch {
            throw RestoreError(.failed, "\(server): \(error) (while running \(sql.prefix(80)))")
        }
    }
}
