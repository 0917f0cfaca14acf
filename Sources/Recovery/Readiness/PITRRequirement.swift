/// One setting that point-in-time recovery needs of a server, and what to say when it is wrong.
///
/// ``table`` is the one statement of Rewind's policy: `rewind status` evaluates a server against it
/// (``PITRReadiness/evaluate(_:)``), `rewind status --requirements --format json` prints it, and the deploy
/// validation (`scripts/check_mycnf.py`) checks the shipped my.cnf against that JSON (kept as
/// `deploy/pitr-requirements.json`; a test fails when the file and this table differ).
public struct PITRRequirement: Codable, Equatable, Sendable {
    /// What value the setting needs.
    public enum Expectation: Equatable, Sendable {
        /// Exactly this value (compared without case; `ON`, `1` and `TRUE` are the same).
        case value(String)
        /// `ON` on the server; in my.cnf, present with any value (`log_bin = mysql-bin` names the files).
        case enabled
        /// Any value but 0 or empty.
        case nonZero
        /// Set in my.cnf, any value (it is the user's choice, e.g. the size of a binlog file).
        case anyValue
        /// A retention of at least a day (`binlog_expire_logs_seconds`, or MariaDB's older `expire_logs_days`).
        case retention
    }

    /// Which servers know the setting.
    public enum Servers: String, Codable, Sendable {
        case all, mysql, mariadb
    }

    /// The server variable and my.cnf name, e.g. `binlog_format`.
    public var setting: String
    public var expectation: Expectation
    /// The verdict when the server's value does not meet ``expectation``.
    public var levelWhenWrong: PITRReadiness.Level
    public var servers: Servers
    /// Whether Rewind's shipped my.cnf sets it (the deploy validation requires those).
    public var inMyCnf: Bool
    /// What a good value means, shown with OK.
    public var whenRight: String
    /// Why a wrong value matters.
    public var whenWrong: String
    /// The my.cnf line(s) that fix it (`[mysqld]` section).
    public var fix: String?

    public init(
        _ setting: String, _ expectation: Expectation, _ levelWhenWrong: PITRReadiness.Level, servers: Servers = .all,
        inMyCnf: Bool = true, right: String, wrong: String, fix: String?
    ) {
        self.setting = setting
        self.expectation = expectation
        self.levelWhenWrong = levelWhenWrong
        self.servers = servers
        self.inMyCnf = inMyCnf
        self.whenRight = right
        self.whenWrong = wrong
        self.fix = fix
    }

    /// Whether `value` (the server's, `nil` when it lacks the variable) meets the expectation.
    public func isMet(by value: String?) -> Bool {
        guard let value else { return false }
        switch self.expectation {
        case .value(let wanted): return Self.normalized(value) == Self.normalized(wanted)
        case .enabled: return Self.normalized(value) == "ON"
        case .nonZero: return !value.isEmpty && value != "0"
        case .anyValue: return true
        case .retention: return false  // evaluated by PITRReadiness from two variables
        }
    }

    static func normalized(_ value: String) -> String {
        switch value.uppercased() {
        case "ON", "1", "TRUE": "ON"
        case "OFF", "0", "FALSE": "OFF"
        case let other: other
        }
    }

    /// Rewind's requirements, in the order `rewind status` reports them.
    public static let table: [PITRRequirement] = [
        .init(
            "log_bin", .enabled, .fail, right: "binary logging is on",
            wrong: "binary logging is off: there is nothing to replay after a backup",
            fix: "log_bin = mysql-bin   (and restart the server)"),
        .init(
            "binlog_format", .value("ROW"), .fail, right: "row-based events",
            wrong: "Rewind needs row events; statements cannot be replayed exactly", fix: "binlog_format = ROW"),
        .init(
            "binlog_row_image", .value("FULL"), .fail, right: "full row images",
            wrong: "rows are logged without all columns: changes cannot be replayed or reverted",
            fix: "binlog_row_image = FULL"),
        .init(
            "binlog_expire_logs_seconds", .retention, .warn, right: "binlogs are kept long enough",
            wrong: "binlogs must be kept longer than the interval between backups",
            fix: "binlog_expire_logs_seconds = 604800   (7 days; keep more than your backup interval)"),
        .init(
            "gtid_mode", .value("ON"), .warn, servers: .mysql, right: "GTIDs are on",
            wrong: "without GTIDs recovery works by file and position only", fix: "gtid_mode = ON"),
        .init(
            "enforce_gtid_consistency", .value("ON"), .warn, servers: .mysql, right: "GTID-safe statements only",
            wrong: "gtid_mode = ON needs it", fix: "enforce_gtid_consistency = ON"),
        .init(
            "server_id", .nonZero, .fail, right: "set",
            wrong: "server_id 0 refuses replication clients, so binlogs cannot be streamed",
            fix: "server_id = 1   (unique among your servers)"),
        .init(
            "sync_binlog", .value("1"), .warn, right: "every commit is on disk",
            wrong: "the last transactions before a crash may be missing from the binlog", fix: "sync_binlog = 1"),
        .init(
            "innodb_flush_log_at_trx_commit", .value("1"), .warn, right: "every commit is durable in InnoDB",
            wrong: "after a crash InnoDB may lack transactions the binlog holds",
            fix: "innodb_flush_log_at_trx_commit = 1"),
        .init(
            "binlog_row_metadata", .value("FULL"), .warn, right: "column names and types logged",
            wrong: "column names are not logged; Rewind needs the table schema to show them",
            fix: "binlog_row_metadata = FULL"),
        .init(
            "binlog_rows_query_log_events", .value("ON"), .warn, servers: .mysql,
            right: "each row change carries its statement's text",
            wrong: "the timeline cannot show which statement changed the rows",
            fix: "binlog_rows_query_log_events = ON"),
        .init(
            "max_binlog_size", .anyValue, .ok, right: "files rotate at this size", wrong: "",
            fix: "max_binlog_size = 256M"),
        .init(
            "binlog_checksum", .value("CRC32"), .warn, inMyCnf: false, right: "events carry CRC32",
            wrong: "without checksums corruption in archived binlogs goes unnoticed", fix: "binlog_checksum = CRC32"),
    ]
}

extension PITRRequirement.Expectation: Codable {
    /// As JSON: `"=VALUE"`, or `"enabled"`, `"nonzero"`, `"any"`, `"retention"` (what scripts read).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "enabled": self = .enabled
        case "nonzero": self = .nonZero
        case "any": self = .anyValue
        case "retention": self = .retention
        case let value where value.hasPrefix("="): self = .value(String(value.dropFirst()))
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown expectation \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode("=" + value)
        case .enabled: try container.encode("enabled")
        case .nonZero: try container.encode("nonzero")
        case .anyValue: try container.encode("any")
        case .retention: try container.encode("retention")
        }
    }
}
