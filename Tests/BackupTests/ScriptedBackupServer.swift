import Foundation
import MySQLWire
import RewindTestSupport

/// A scripted MySQL 8 (or MariaDB) server on loopback that answers what `backup create` asks, with one database
/// `shop` holding one table `accounts` of two rows, and keeps the server's lock state: which connection holds
/// `FLUSH TABLES WITH READ LOCK`, `LOCK INSTANCE FOR BACKUP` or a backup stage, released by the unlock statements
/// or when the connection ends, as a server does. Every statement is logged with the locks held when it arrived.
final class ScriptedBackupServer: Sendable {
    /// One statement as the server received it.
    struct Statement: Sendable, Equatable, CustomStringConvertible {
        /// The connection, in the order the client opened them (0 is the control connection).
        var connection: Int
        var sql: String
        /// Whether some connection held the global read lock when it arrived.
        var underReadLock: Bool
        /// Whether some connection held the instance backup lock (or a backup stage) when it arrived.
        var underBackupLock: Bool

        var description: String { "#\(self.connection) \(self.sql)" }
    }

    struct Behaviour: Sendable {
        /// `@@version` and the greeting's version.
        var version = "8.4.3"
        /// The first this many `FLUSH TABLES WITH READ LOCK` time out (error 1205).
        var readLockTimeouts = 0
        /// `START TRANSACTION WITH CONSISTENT SNAPSHOT` fails on a worker.
        var failSnapshot = false
    }

    static let uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
    static let gtidExecuted = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77"
    static let longQuery = "SELECT SLEEP(600) FROM orders"

    let state: State
    let server: HostileServer

    init(_ behaviour: Behaviour = Behaviour()) throws {
        let state = State(behaviour)
        self.state = state
        self.server = try HostileServer { connection in try state.serve(connection) }
    }

    var configuration: MySQLConnection.Configuration {
        MySQLConnection.Configuration(
            endpoint: .tcp(host: "127.0.0.1", port: self.server.port),
            username: "backup",
            password: "not-a-secret",
            tls: .init(mode: .disabled),
            // Limits a loaded machine cannot cross by accident: the client's deadlines are cancelled by its task, and
            // under the whole suite on two cores that task can wait tens of seconds for a thread of the pool (the
            // deadline then closes a connection the server answered in time).
            connectTimeout: .seconds(180),
            queryTimeout: .seconds(180)
        )
    }

    /// Every statement so far, in arrival order.
    var statements: [Statement] { self.state.locked { $0.log } }

    /// Waits until every connection has ended (the client closes them all), then says whether any lock is left.
    func locksLeftAfterClose() async -> (readLock: Bool, backupLock: Bool) {
        _ = await self.server.finishedSessions()
        return self.state.locked { ($0.readLockHolder != nil, $0.backupLockHolder != nil) }
    }

    func stop() { self.server.stop() }

    /// The server's lock state and log, behind a lock (each connection is served on a thread of its own).
    final class State: @unchecked Sendable {
        // Every var below is only touched inside `locked`.
        struct Values {
            var behaviour: Behaviour
            var log: [Statement] = []
            var connections = 0
            var readLockHolder: Int?
            var backupLockHolder: Int?
            var readLockAttempts = 0
        }

        private let lock = NSLock()
        private var values: Values

        init(_ behaviour: Behaviour) { self.values = Values(behaviour: behaviour) }

        func locked<T>(_ body: (inout Values) -> T) -> T { self.lock.withLock { body(&self.values) } }

        func serve(_ connection: HostileConnection) throws {
            let (index, version) = self.locked { values in
                values.connections += 1
                return (values.connections - 1, values.behaviour.version)
            }
            defer {
                self.locked { values in
                    if values.readLockHolder == index { values.readLockHolder = nil }
                    if values.backupLockHolder == index { values.backupLockHolder = nil }
                }
            }
            try connection.serveQueries(version: version, connectionID: UInt32(100 + index)) { sql in
                self.locked { values in
                    values.log.append(
                        Statement(
                            connection: index,
                            sql: sql,
                            underReadLock: values.readLockHolder != nil,
                            underBackupLock: values.backupLockHolder != nil
                        )
                    )
                    return Self.answer(sql, connection: index, values: &values)
                }
            }
        }

        private static func answer(_ sql: String, connection: Int, values: inout Values) -> HostileConnection.Reply {
            let isMySQL84 = values.behaviour.version.hasPrefix("8.4") || values.behaviour.version.hasPrefix("9.")
            let isMariaDB = values.behaviour.version.contains("MariaDB")
            let syntaxError = HostileConnection.Reply.error(
                code: 1064,
                sqlState: "42000",
                message: "You have an error in your SQL syntax near '\(sql)'"
            )
            switch sql {
            case let text where text.hasPrefix("SELECT @@version, @@server_id"):
                return .rows(
                    columns: ["@@version", "@@server_id", "@@hostname", "@@port", "@@datadir", "uuid"],
                    rows: [
                        [
                            values.behaviour.version, "11", "fake-mysql", "3306", "/var/lib/mysql/",
                            isMariaDB ? nil : ScriptedBackupServer.uuid,
                        ]
                    ]
                )
            case "LOCK INSTANCE FOR BACKUP", "BACKUP STAGE START":
                values.backupLockHolder = connection
                return .ok
            case "UNLOCK INSTANCE", "BACKUP STAGE END":
                if values.backupLockHolder == connection { values.backupLockHolder = nil }
                return .ok
            case "FLUSH TABLES WITH READ LOCK":
                values.readLockAttempts += 1
                if values.readLockAttempts <= values.behaviour.readLockTimeouts {
                    return .error(
                        code: 1205, sqlState: "HY000", message: "Lock wait timeout exceeded; try restarting transaction"
                    )
                }
                values.readLockHolder = connection
                return .ok
            case "UNLOCK TABLES":
                if values.readLockHolder == connection { values.readLockHolder = nil }
                return .ok
            case "START TRANSACTION WITH CONSISTENT SNAPSHOT":
                if values.behaviour.failSnapshot {
                    return .error(code: 1105, sqlState: "HY000", message: "Unknown error")
                }
                return .ok
            case "SHOW BINARY LOG STATUS", "SHOW MASTER STATUS":
                if (sql == "SHOW MASTER STATUS") == isMySQL84 { return syntaxError }
                return .rows(
                    columns: ["File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"],
                    rows: [["binlog.000042", "1234", "", "", ScriptedBackupServer.gtidExecuted]]
                )
            case "SELECT @@GLOBAL.gtid_executed":
                return .rows(columns: ["@@GLOBAL.gtid_executed"], rows: [[ScriptedBackupServer.gtidExecuted]])
            case "SHOW STATUS LIKE 'binlog_snapshot_%'":
                return .rows(
                    columns: ["Variable_name", "Value"],
                    rows: [["Binlog_snapshot_file", "mariadb-bin.000007"], ["Binlog_snapshot_position", "4321"]]
                )
            case let text where text.hasPrefix("SELECT BINLOG_GTID_POS("):
                return .rows(columns: ["pos"], rows: [["0-11-99"]])
            case let text where text.contains("information_schema.PROCESSLIST"):
                return .rows(
                    columns: ["ID", "USER", "HOST", "DB", "COMMAND", "TIME", "STATE", "INFO"],
                    rows: [
                        [
                            "42", "app", "10.0.0.5:51234", "shop", "Query", "600", "Sending data",
                            ScriptedBackupServer.longQuery,
                        ]
                    ]
                )
            case let text where text.hasPrefix("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"):
                return .rows(columns: ["SCHEMA_NAME"], rows: [["mysql"], ["shop"], ["sys"]])
            case "SHOW CREATE DATABASE IF NOT EXISTS `shop`":
                return .rows(
                    columns: ["Database", "Create Database"],
                    rows: [["shop", "CREATE DATABASE IF NOT EXISTS `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */"]]
                )
            case let text where text.contains("FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'"):
                return .rows(
                    columns: ["TABLE_NAME", "TABLE_TYPE", "ENGINE", "DATA_LENGTH", "TABLE_ROWS"],
                    rows: [["accounts", "BASE TABLE", "InnoDB", "16384", "2"]]
                )
            case "SHOW CREATE TABLE `shop`.`accounts`":
                return .rows(
                    columns: ["Table", "Create Table"],
                    rows: [
                        [
                            "accounts",
                            "CREATE TABLE `accounts` (\n  `id` int NOT NULL,\n  `owner` varchar(20) DEFAULT NULL,\n"
                                + "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                        ]
                    ]
                )
            case let text where text.contains("FROM information_schema.COLUMNS"):
                return .rows(
                    columns: ["COLUMN_NAME", "DATA_TYPE", "CHARACTER_SET_NAME"],
                    rows: [["id", "int", nil], ["owner", "varchar", "utf8mb4"]]
                )
            case let text where text.contains("FROM information_schema.STATISTICS"):
                return .rows(
                    columns: ["INDEX_NAME", "COLUMN_NAME", "NON_UNIQUE", "NULLABLE", "SUB_PART"],
                    rows: [["PRIMARY", "id", "0", "", nil]]
                )
            case let text where text.hasPrefix("SELECT ") && text.hasSuffix("FROM `shop`.`accounts`"):
                return .rows(columns: ["id", "owner"], rows: [["1", "ann"], ["2", nil]])
            case let text where text.hasPrefix("SELECT ") || text.hasPrefix("SHOW "):
                return .rows(columns: ["nothing"], rows: [])
            default:
                return .ok
            }
        }
    }
}
