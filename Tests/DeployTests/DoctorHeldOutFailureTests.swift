import Testing

@testable import Deploy

/// The held-out failing clusters of issue 12: a downgrade, a missing Secret key, no room on the node, probes
/// refused, a pod not ready for another reason, and a workload that is not `statefulset/mysql`.
@Suite struct DoctorHeldOutFailureTests {
    private func finding(_ fixture: String, _ code: Finding.Code) throws -> Finding {
        try #require(try DoctorFixture(name: fixture).findings().first { $0.code == code })
    }

    @Test func downgradeNamesBothVersionsAndNeverSuggestsDeletingTheVolume() throws {
        let findings = try DoctorFixture(name: "downgrade-newer-datadir").findings()
        let downgrade = try #require(findings.first { $0.code == .dataDirectoryNewerVersion })
        #expect(downgrade.problem.contains("written by MySQL 8.4.7") && downgrade.problem.contains("MySQL 8.0.40"))
        #expect(downgrade.evidence.first?.contains("[MY-013171]") == true)
        #expect(downgrade.fix.contains("do not delete the volume"))
        #expect(downgrade.fix.contains("mysql:8.4.7 or later"))
        for finding in findings {
            #expect(!finding.fix.contains("delete pvc"), "\(finding.code)")
            #expect(!finding.fix.contains("down -v"), "\(finding.code)")
            #expect(!finding.fix.lowercased().contains("wipe the volume"), "\(finding.code)")
        }
        #expect(!findings.contains { $0.code == .dataDirectoryHalfInitialised || $0.code == .dataDirectoryUnusable })
    }

    @Test(arguments: [
        (
            "Cannot boot server version 80040 on data directory built by version 80407. Downgrade is not supported",
            "8.0.40", "8.4.7"
        ),
        ("Cannot boot server version 80403 on data directory built by version 90100.", "8.4.3", "9.1.0"),
    ])
    func downgradeVersionsAreRead(line: String, server: String, data: String) throws {
        let versions = try #require(Doctor.downgradeVersions(line))
        #expect(versions.server == server && versions.data == data)
    }

    @Test func missingSecretKeyNamesTheKeyAndTheCommandThatMakesIt() throws {
        let finding = try self.finding("secret-key-missing", .secretMissing)
        #expect(finding.problem.contains("key REWIND_PASSWORD of Secret mysql-credentials"))
        #expect(finding.evidence.contains("state.waiting.reason: CreateContainerConfigError"))
        #expect(finding.fix.contains("deploy/credentials kubernetes --namespace rewind"))
    }

    @Test(
        arguments: [
            (
                "couldn't find key REWIND_PASSWORD in Secret rewind/mysql-credentials", "mysql-credentials",
                "REWIND_PASSWORD"
            ),
            ("secret \"mysql-credentials\" not found", "mysql-credentials", nil),
        ] as [(String, String, String?)]
    )
    func kubeletSecretMessagesAreRead(message: String, secret: String, key: String?) throws {
        let missing = try #require(Doctor.missingSecret(in: message))
        #expect(missing.secret == secret && missing.key == key)
    }

    @Test func insufficientMemoryShowsTheRequests() throws {
        let finding = try self.finding("insufficient-memory", .podUnschedulable)
        #expect(finding.problem.contains("memory"))
        #expect(finding.evidence.contains { $0.contains("1 Insufficient memory") })
        #expect(finding.evidence.contains("container mysql requests memory 4Gi, cpu 250m"))
        #expect(finding.fix.contains("Settings > Resources > Memory"))
    }

    @Test func probesRefusedWithAccessDeniedNameTheAccountAndTheRotation() throws {
        let finding = try self.finding("probe-access-denied", .probeAccessDenied)
        #expect(finding.problem.contains("'root'@'127.0.0.1'"))
        #expect(finding.evidence.first?.hasPrefix("event Unhealthy (x42): Readiness probe failed") == true)
        #expect(finding.fix.contains("rewind_probe"))
        #expect(finding.fix.contains("ALTER USER first, then update the Secret"))
    }

    @Test func anyOtherNotReadyPodIsReportedWithItsReasonsAndWarnings() throws {
        let finding = try self.finding("not-ready-failed-mount", .podNotReady)
        #expect(finding.severity == .warning)
        #expect(finding.evidence.contains("status.phase: Pending"))
        #expect(finding.evidence.contains("container mysql waiting: ContainerCreating"))
        #expect(finding.evidence.contains { $0.hasPrefix("event FailedMount:") && $0.contains("not found") })
    }

    @Test func theGeneralFindingStaysQuietWhenAnotherOneExplainsThePod() throws {
        for name in [
            "storage-class-not-found", "pv-pvc-mismatch", "image-pull", "data-dictionary-failed",
            "secret-key-missing", "insufficient-memory", "probe-access-denied",
        ] {
            #expect(!(try DoctorFixture(name: name).findings().contains { $0.code == .podNotReady }), "\(name)")
        }
    }

    @Test func fixesNameTheRealWorkload() throws {
        let finding = try self.finding("deployment-half-initialised", .dataDirectoryHalfInitialised)
        #expect(finding.fix.contains("kubectl scale deployment/db -n rewind --replicas=0"))
        #expect(finding.fix.contains("kubectl delete pvc db-data -n rewind"))
        #expect(!finding.fix.contains("statefulset"))
        #expect(finding.evidence.contains { $0.contains("--initialize specified but the data directory has files") })
    }

    @Test func aServerThatServedClientsIsNeverProvenEmpty() {
        var snapshot = ClusterSnapshot()
        snapshot.logs = [
            ContainerLog(
                pod: nil,
                text: """
                    2026-11-20T09:12:31Z 0 [System] [MY-013169] [Server] initializing of server in progress as process 80
                    2026-11-20T09:12:40Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. \
                    Version: '8.0.44'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.
                    2026-11-21T09:14:05Z 0 [ERROR] [MY-010020] [Server] Data Dictionary initialization failed.
                    """
            )
        ]
        #expect(Doctor.diagnose(snapshot).map(\.code) == [.dataDirectoryUnusable])
    }

    @Test func workloadOfAPod() {
        var pod = Pod(
            metadata: ObjectMeta(name: "web-0", ownerReferences: [OwnerReference(kind: "StatefulSet", name: "web")])
        )
        #expect(pod.workload?.description == "statefulset/web")
        pod.metadata = ObjectMeta(name: "restore-x", ownerReferences: [OwnerReference(kind: "Job", name: "restore")])
        #expect(pod.workload?.description == "job/restore" && pod.workload?.isScalable == false)
        pod.metadata = ObjectMeta(name: "bare")
        #expect(pod.workload == nil)
    }
}
