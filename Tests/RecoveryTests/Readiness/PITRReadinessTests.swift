import MySQLWire
import Testing

@testable import Recovery

@Suite struct PITRReadinessTests {
    static let good: [String: String] = [
        "log_bin": "ON", "binlog_format": "ROW", "binlog_row_image": "FULL", "binlog_row_metadata": "FULL",
        "binlog_expire_logs_seconds": "604800", "expire_logs_days": "7.000000", "server_id": "1", "sync_binlog": "1",
        "binlog_checksum": "CRC32", "gtid_binlog_pos": "0-1-50", "innodb_flush_log_at_trx_commit": "1",
    ]

    static func evaluate(_ changes: [String: String?], version: String = "10.11.6-MariaDB-log") -> PITRReadiness {
        var variables = Self.good
        for (name, value) in changes { variables[name] = value }
        return PITRReadiness.evaluate(
            ServerStatusSnapshot(
                version: version,
                variables: variables,
                currentFile: "mysql-bin.000002",
                currentPosition: 1065,
                binaryLogs: [.init(name: "mysql-bin.000001", size: 400), .init(name: "mysql-bin.000002", size: 1065)]
            )
        )
    }

    static func level(_ readiness: PITRReadiness, _ name: String) -> PITRReadiness.Level? {
        readiness.checks.first { $0.name == name }?.level
    }

    @Test func goodMariaDBSetupIsOK() {
        let readiness = Self.evaluate([:])
        #expect(readiness.overall == .ok)
        #expect(readiness.gtidSet == "0-1-50")
        #expect(Self.level(readiness, "binary_logs") == .ok)
    }

    @Test(arguments: [
        ("log_bin", "OFF"), ("binlog_format", "STATEMENT"), ("binlog_format", "MIXED"), ("binlog_row_image", "MINIMAL"),
        ("binlog_row_image", "NOBLOB"), ("server_id", "0"),
    ])
    func badSettingFails(name: String, value: String) {
        let readiness = Self.evaluate([name: value])
        #expect(Self.level(readiness, name) == .fail)
        #expect(!readiness.isPITRPossible)
        #expect(readiness.checks.first { $0.name == name }?.fix != nil)
    }

    @Test(arguments: [("sync_binlog", "0"), ("binlog_row_metadata", "MINIMAL"), ("binlog_checksum", "NONE")])
    func riskySettingWarns(name: String, value: String) {
        let readiness = Self.evaluate([name: value])
        #expect(Self.level(readiness, name) == .warn)
        #expect(readiness.isPITRPossible)
    }

    @Test func retention() {
        #expect(
            Self.level(Self.evaluate(["binlog_expire_logs_seconds": "0", "expire_logs_days": "0"]), "expire_logs_days")
                == .warn
        )
        #expect(
            Self.level(Self.evaluate(["binlog_expire_logs_seconds": "3600"]), "binlog_expire_logs_seconds") == .warn
        )
        let days = Self.evaluate(["binlog_expire_logs_seconds": "0", "expire_logs_days": "3"])
        #expect(Self.level(days, "expire_logs_days") == .ok)
    }

    @Test func mySQLWithoutGTIDsWarns() {
        let readiness = Self.evaluate(
            ["gtid_mode": "OFF", "enforce_gtid_consistency": "OFF", "expire_logs_days": nil],
            version: "8.0.36"
        )
        #expect(Self.level(readiness, "gtid_mode") == .warn)
        let on = Self.evaluate(
            ["gtid_mode": "ON", "enforce_gtid_consistency": "ON", "gtid_executed": "uuid:1-5"],
            version: "8.0.36"
        )
        #expect(Self.level(on, "gtid_mode") == .ok)
        #expect(on.gtidSet == "uuid:1-5")
    }

    @Test func binlogOnWithoutFilesFails() {
        let readiness = PITRReadiness.evaluate(ServerStatusSnapshot(version: "8.0.36", variables: Self.good))
        #expect(Self.level(readiness, "binary_logs") == .fail)
    }
}
