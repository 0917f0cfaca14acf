/// Whether a server's binlog is set up for point-in-time recovery, check by check, with what to change in my.cnf.
///
/// ``evaluate(_:)`` is pure: it reads a ``ServerStatusSnapshot`` and never the network or the clock.
public struct PITRReadiness: Codable, Equatable, Sendable {
    /// The verdict of one check, ordered from good to bad.
    public enum Level: String, Codable, Comparable, Sendable {
        case ok = "OK"
        case warn = "WARN"
        case fail = "FAIL"

        private var rank: Int {
            switch self {
            case .ok: 0
            case .warn: 1
            case .fail: 2
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    /// One checked setting.
    public struct Check: Codable, Equatable, Sendable {
        /// The setting, e.g. `binlog_format`.
        public var name: String
        public var level: Level
        /// The server's value as text (`(not set)` when the server lacks the variable).
        public var value: String
        /// What the value means for PITR.
        public var message: String
        /// The my.cnf change that fixes a WARN or FAIL (`[mysqld]` section), `nil` when there is nothing to do.
        public var fix: String?

        public init(name: String, level: Level, value: String, message: String, fix: String? = nil) {
            self.name = name
            self.level = level
            self.value = value
            self.message = message
            self.fix = fix
        }
    }

    public var serverVersion: String
    public var checks: [Check]
    public var currentFile: String?
    public var currentPosition: UInt64?
    public var gtidSet: String?
    public var binaryLogs: [ServerStatusSnapshot.BinaryLog]

    /// The worst level of all checks.
    public var overall: Level { self.checks.map(\.level).max() ?? .ok }
    /// `false` when a check failed: recovery to a point in time cannot work with this setup.
    public var isPITRPossible: Bool { self.overall != .fail }

    /// Checks the snapshot's settings.
    public static func evaluate(_ snapshot: ServerStatusSnapshot) -> PITRReadiness {
        let variables = snapshot.variables
        func value(_ name: String) -> String { variables[name] ?? "(not set)" }
        func isOn(_ name: String) -> Bool { ["ON", "1", "TRUE"].contains(variables[name]?.uppercased() ?? "") }
        var checks: [Check] = []

        let binlogOn = isOn("log_bin")
        checks.append(
            binlogOn
                ? Check(name: "log_bin", level: .ok, value: value("log_bin"), message: "binary logging is on")
                : Check(
                    name: "log_bin",
                    level: .fail,
                    value: value("log_bin"),
                    message: "binary logging is off: there is nothing to replay after a backup",
                    fix: "log_bin = mysql-bin   (and restart the server)"
                )
        )

        let format = variables["binlog_format"]?.uppercased()
        checks.append(
            format == "ROW"
                ? Check(name: "binlog_format", level: .ok, value: value("binlog_format"), message: "row-based events")
                : Check(
                    name: "binlog_format",
                    level: .fail,
                    value: value("binlog_format"),
                    message: "Rewind needs row events; statements cannot be replayed exactly",
                    fix: "binlog_format = ROW"
                )
        )

        let image = variables["binlog_row_image"]?.uppercased()
        checks.append(
            image == "FULL"
                ? Check(
                    name: "binlog_row_image",
                    level: .ok,
                    value: value("binlog_row_image"),
                    message: "full row images"
                )
                : Check(
                    name: "binlog_row_image",
                    level: .fail,
                    value: value("binlog_row_image"),
                    message: "rows are logged without all columns: changes cannot be replayed or reverted",
                    fix: "binlog_row_image = FULL"
                )
        )

        checks.append(Self.retentionCheck(variables))

        if snapshot.isMariaDB {
            checks.append(
                Check(
                    name: "gtid",
                    level: .ok,
                    value: value("gtid_binlog_pos"),
                    message: "MariaDB always writes GTIDs" + (isOn("gtid_strict_mode") ? " (strict mode)" : "")
                )
            )
        } else {
            let mode = variables["gtid_mode"]?.uppercased()
            checks.append(
                mode == "ON" && isOn("enforce_gtid_consistency")
                    ? Check(name: "gtid_mode", level: .ok, value: value("gtid_mode"), message: "GTIDs are on")
                    : Check(
                        name: "gtid_mode",
                        level: .warn,
                        value: value("gtid_mode"),
                        message: "without GTIDs recovery works by file and position only",
                        fix: "gtid_mode = ON\nenforce_gtid_consistency = ON"
                    )
            )
        }

        let serverID = UInt64(variables["server_id"] ?? "") ?? 0
        checks.append(
            serverID > 0
                ? Check(name: "server_id", level: .ok, value: value("server_id"), message: "set")
                : Check(
                    name: "server_id",
                    level: .fail,
                    value: value("server_id"),
                    message: "server_id 0 refuses replication clients, so binlogs cannot be streamed",
                    fix: "server_id = 1   (unique among your servers)"
                )
        )

        checks.append(
            variables["sync_binlog"] == "1"
                ? Check(name: "sync_binlog", level: .ok, value: "1", message: "every commit is on disk")
                : Check(
                    name: "sync_binlog",
                    level: .warn,
                    value: value("sync_binlog"),
                    message: "the last transactions before a crash may be missing from the binlog",
                    fix: "sync_binlog = 1"
                )
        )

        switch variables["binlog_row_metadata"]?.uppercased() {
        case "FULL":
            checks.append(
                Check(name: "binlog_row_metadata", level: .ok, value: "FULL", message: "column names and types logged")
            )
        case nil:
            checks.append(
                Check(
                    name: "binlog_row_metadata",
                    level: .warn,
                    value: value("binlog_row_metadata"),
                    message: "the server does not log column names; Rewind needs the table schema to show them"
                )
            )
        default:
            checks.append(
                Check(
                    name: "binlog_row_metadata",
                    level: .warn,
                    value: value("binlog_row_metadata"),
                    message: "column names are not logged; Rewind needs the table schema to show them",
                    fix: "binlog_row_metadata = FULL"
                )
            )
        }

        if let checksum = variables["binlog_checksum"] {
            checks.append(
                checksum.uppercased() == "CRC32"
                    ? Check(name: "binlog_checksum", level: .ok, value: checksum, message: "events carry CRC32")
                    : Check(
                        name: "binlog_checksum",
                        level: .warn,
                        value: checksum,
                        message: "without checksums corruption in archived binlogs goes unnoticed",
                        fix: "binlog_checksum = CRC32"
                    )
            )
        }

        if isOn("binlog_encryption") || isOn("encrypt_binlog") {
            checks.append(
                Check(
                    name: "binlog_encryption",
                    level: .warn,
                    value: "ON",
                    message: "binlog files on disk are encrypted; stream them from the server instead of copying"
                )
            )
        }

        if binlogOn {
            checks.append(
                snapshot.binaryLogs.isEmpty
                    ? Check(
                        name: "binary_logs",
                        level: .fail,
                        value: "0 files",
                        message: "the server lists no binlog files"
                    )
                    : Check(
                        name: "binary_logs",
                        level: .ok,
                        value:
                            "\(snapshot.binaryLogs.count) files, \(snapshot.binaryLogs.reduce(0) { $0 + $1.size }) bytes",
                        message:
                            "from \(snapshot.binaryLogs.first?.name ?? "") to \(snapshot.binaryLogs.last?.name ?? "")"
                    )
            )
        }

        return PITRReadiness(
            serverVersion: snapshot.version,
            checks: checks,
            currentFile: snapshot.currentFile,
            currentPosition: snapshot.currentPosition,
            gtidSet: snapshot.gtidSet,
            binaryLogs: snapshot.binaryLogs
        )
    }

    private static func retentionCheck(_ variables: [String: String]) -> Check {
        let seconds = UInt64(variables["binlog_expire_logs_seconds"] ?? "") ?? 0
        let days = Double(variables["expire_logs_days"] ?? "") ?? 0
        let retention = seconds > 0 ? Double(seconds) : days * 86_400
        let name =
            seconds > 0 || variables["expire_logs_days"] == nil ? "binlog_expire_logs_seconds" : "expire_logs_days"
        let shown = seconds > 0 ? "\(seconds) s" : variables["expire_logs_days"].map { "\($0) days" } ?? "0"
        if retention == 0 {
            return Check(
                name: name,
                level: .warn,
                value: shown,
                message: "binlogs are never purged: the disk fills unless something else removes them",
                fix: "binlog_expire_logs_seconds = 604800   (7 days; keep more than your backup interval)"
            )
        }
        if retention < 86_400 {
            return Check(
                name: name,
                level: .warn,
                value: shown,
                message: "binlogs are kept less than a day: a recovery needs every binlog since the last backup",
                fix: "binlog_expire_logs_seconds = 604800   (7 days; keep more than your backup interval)"
            )
        }
        let daysKept = retention / 86_400
        return Check(
            name: name,
            level: .ok,
            value: shown,
            message:
                "binlogs are kept \(daysKept == daysKept.rounded() ? String(Int(daysKept)) : String(daysKept)) days"
        )
    }
}
