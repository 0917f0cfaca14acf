import MySQLWire
import Recovery
import RewindTestSupport
import Testing

@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct StatusIntegrationTests {
    @Test func sandboxIsReadyForPointInTimeRecovery() async throws {
        let server = try SandboxServer.required()
        let snapshot = try await MySQLConnection.withConnection(
            configuration: server.configuration(),
            logger: testLogger
        ) {
            try await $0.serverStatusSnapshot()
        }
        let readiness = PITRReadiness.evaluate(snapshot)
        #expect(readiness.overall == .ok, "\(readiness.checks.filter { $0.level != .ok })")
        #expect(readiness.isPITRPossible)
        #expect(readiness.currentFile?.hasPrefix("mysql-bin.") == true)
        // Other suites flush the shared sandbox's binlog meanwhile: the current file is listed, maybe not last.
        #expect(readiness.binaryLogs.contains { $0.name == readiness.currentFile })
        #expect(readiness.gtidSet != nil)
    }

    /// A server started with a bad binlog setting: the check of that setting fails and so does PITR.
    @Test(arguments: [
        ("wire-nobinlog", "--skip-log-bin", "log_bin"),
        ("wire-statement", "--binlog-format=STATEMENT", "binlog_format"),
        ("wire-minimal", "--binlog-row-image=MINIMAL", "binlog_row_image"),
    ])
    func misconfiguredServerFailsTheNamedCheck(instance: String, option: String, check: String) async throws {
        _ = try SandboxServer.required()
        let readiness = try await SandboxInstance.withInstance(named: instance, options: [option]) { server in
            let snapshot = try await MySQLConnection.withConnection(
                configuration: server.configuration(),
                logger: testLogger
            ) { try await $0.serverStatusSnapshot() }
            return PITRReadiness.evaluate(snapshot)
        }
        let failed = readiness.checks.filter { $0.level == .fail }.map(\.name)
        #expect(failed.contains(check), "failed checks: \(failed)")
        #expect(!readiness.isPITRPossible)
        let named = try #require(readiness.checks.first { $0.name == check })
        #expect(named.fix != nil)
        if check == "log_bin" { #expect(readiness.binaryLogs.isEmpty && readiness.currentFile == nil) }
    }
}
