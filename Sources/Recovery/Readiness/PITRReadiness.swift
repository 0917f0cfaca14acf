import MySQLWire

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

    /// Checks the snapshot's settings against ``PITRRequirement/table``, then what is not a setting: GTIDs on
    /// MariaDB, binlog encryption, the binlog files the server lists.
    public static func evaluate(_ snapshot: ServerStatusSnapshot) -> PITRReadiness {
        let variables = snapshot.variables
        func value(_ name: String) -> String { variables[name] ?? "(not set)" }
        func isOn(_ name: String) -> Bool { ["ON", "1", "TRUE"].contains(variables[name]?.uppercased() ?? "") }
        var checks: [Check] = []

        for requirement in PITRRequirement.table {
            switch requirement.servers {
            case .mysql where snapshot.isMariaDB, .mariadb where !snapshot.isMariaDB: continue
            default: break
            }
            if requirement.expectation == .retention {
                checks.append(Self.retentionCheck(variables, requirement))
                if snapshot.isMariaDB {
                    checks.append(
                        Check(
                            name: "gtid", level: .ok, value: value("gtid_binlog_pos"),
                            message: "MariaDB always writes GTIDs" + (isOn("gtid_strict_mode") ? " (strict mode)" : ""))
                    )
                }
                continue
            }
            let current = variables[requirement.setting]
            if requirement.isMet(by: current) {
                checks.append(
                    Check(
                        name: requirement.setting, level: .ok, value: value(requirement.setting),
                        message: requirement.whenRight))
            } else if current == nil {
                // A server too old to have the variable: say so; there is no my.cnf line to add.
                checks.append(
                    Check(
                        name: requirement.setting, level: requirement.levelWhenWrong, value: value(requirement.setting),
                        message: "the server has no \(requirement.setting): " + requirement.whenWrong))
            } else {
                checks.append(
                    Check(
                        name: requirement.setting, level: requirement.levelWhenWrong, value: value(requirement.setting),
                        message: requirement.whenWrong, fix: requirement.fix))
            }
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

        if isOn("log_bin") {
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

    private static func retentionCheck(_ variables: [String: String], _ requirement: PITRRequirement) -> Check {
        let seconds = UInt64(variables["binlog_expire_logs_seconds"] ?? "") ?? 0
        let days = Double(variables["expire_logs_days"] ?? "") ?? 0
        let retention = seconds > 0 ? Double(seconds) : days * 86_400
        let name =
            seconds > 0 || variables["expire_logs_days"] == nil ? "binlog_expire_logs_seconds" : "expire_logs_days"
        let shown = seconds > 0 ? "\(seconds) s" : variables["expire_logs_days"].map { "\($0) days" } ?? "0"
        if retention == 0 {
            return Check(
                name: name,
                level: requirement.levelWhenWrong,
                value: shown,
                message: "binlogs are never purged: the disk fills unless something else removes them",
                fix: requirement.fix
            )
        }
        if retention < 86_400 {
            return Check(
                name: name,
                level: requirement.levelWhenWrong,
                value: shown,
                message: "binlogs are kept less than a day: a recovery needs every binlog since the last backup",
                fix: requirement.fix
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
