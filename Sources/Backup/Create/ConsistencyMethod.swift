/// How `backup create` makes the dump connections see one state of the server, chosen from the server's kind and
/// version.
enum ConsistencyMethod: Equatable, Sendable {
    /// MariaDB 10.4+: `BACKUP STAGE START` + `BLOCK_DDL` for the duration, and snapshots opened without a commit
    /// lock whose `binlog_snapshot_file`/`_position` agree (``MariaDBSnapshot``).
    case backupStage
    /// MySQL 8.0+: `LOCK INSTANCE FOR BACKUP` for the duration, and a brief `FLUSH TABLES WITH READ LOCK` while
    /// the snapshots open and the coordinates are read (``MySQLSnapshot``). `binaryLogStatus`: the coordinates
    /// come from `SHOW BINARY LOG STATUS` (8.2+), else from `SHOW MASTER STATUS` (removed in 8.4).
    case instanceLock(binaryLogStatus: Bool)

    /// The manifest's `consistency` value.
    var token: String {
        switch self {
        case .backupStage: "backup-stage-block-ddl+consistent-snapshot"
        case .instanceLock: "lock-instance-for-backup+ftwrl+consistent-snapshot"
        }
    }

    /// The method for a server.
    ///
    /// - Parameters:
    ///   - isMariaDB: Whether the server said it is MariaDB (its greeting's version names it).
    ///   - version: `@@version`, e.g. `8.4.3`, `8.0.36-28` (Percona), `10.11.6-MariaDB-0+deb12u1` or
    ///     `5.5.5-10.11.6-MariaDB` (MariaDB's replication-compatible prefix).
    ///   - server: The address, for messages.
    /// - Throws: ``BackupError`` (`usage`) for servers without the needed locks: MySQL before 8.0 (no
    ///   `LOCK INSTANCE FOR BACKUP`), MariaDB before 10.4 (no `BACKUP STAGE`), or a version that does not parse.
    static func select(isMariaDB: Bool, version: String, server: String) throws -> Self {
        var text = Substring(version)
        if isMariaDB, text.hasPrefix("5.5.5-") { text = text.dropFirst("5.5.5-".count) }
        let numbers = text.prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
        guard numbers.count >= 2 else {
            throw BackupError(
                .usage,
                "\(server) reports version \"\(version)\", which rewind cannot read; back up MySQL 8.0+ or MariaDB 10.4+"
            )
        }
        let release = (numbers[0], numbers[1])
        if isMariaDB {
            guard release >= (10, 4) else {
                throw BackupError(
                    .usage,
                    "\(server) is MariaDB \(version), which has no BACKUP STAGE (10.4+): a consistent backup without "
                        + "a global read lock is not possible there; upgrade it, or use mariadb-dump --single-transaction"
                )
            }
            return .backupStage
        }
        guard release >= (8, 0) else {
            throw BackupError(
                .usage,
                "\(server) is MySQL \(version), which has no LOCK INSTANCE FOR BACKUP (8.0+): rewind backs up MySQL "
                    + "8.0 and later; upgrade it, or use mysqldump --single-transaction --source-data"
            )
        }
        return .instanceLock(binaryLogStatus: release >= (8, 2))
    }
}
