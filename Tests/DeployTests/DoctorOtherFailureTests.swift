import Testing

@testable import Deploy

/// The other failures: generic crash loops, OOM kills, image pulls, binlog off, ignored config, no default class.
@Suite struct DoctorOtherFailureTests {
    private func finding(_ fixture: String, _ code: Finding.Code) throws -> Finding {
        try #require(try DoctorFixture(name: fixture).findings().first { $0.code == code })
    }

    @Test func unexplainedCrashLoopShowsTheLogAndHowToReadMore() throws {
        let finding = try self.finding("crashloop-unknown-variable", .crashLoopBackOff)
        #expect(finding.evidence.contains("last log lines (previous run):"))
        #expect(finding.evidence.contains { $0.contains("unknown variable 'binlog_row_metdata=FULL'") })
        #expect(finding.fix.contains("kubectl logs mysql-0 -n rewind -c mysql --previous"))
    }

    @Test func oomKillNamesTheLimitAndTheBufferPool() throws {
        let finding = try self.finding("oomkilled", .oomKilled)
        #expect(finding.evidence.contains("terminated.reason: OOMKilled (exit code 137)"))
        #expect(finding.evidence.contains("resources.limits.memory: 512Mi"))
        #expect(finding.fix.contains("innodb_buffer_pool_size"))
    }

    @Test func unbuiltRewindImageSaysHowToBuildIt() throws {
        let finding = try self.finding("image-pull", .imagePullFailed)
        #expect(finding.object == "pod/rewind-archiver-0")
        #expect(finding.evidence.contains("state.waiting.reason: ImagePullBackOff"))
        #expect(finding.fix.contains("docker build -f deploy/Dockerfile -t rewind:local ."))
    }

    @Test func registryImagePullGetsTheGenericFix() {
        #expect(Doctor.imagePullFix("mysql:8.0.99").contains("docker pull mysql:8.0.99"))
    }

    @Test func skipLogBinArgumentMeansBinlogDisabled() throws {
        let finding = try self.finding("binlog-disabled", .binlogDisabled)
        #expect(finding.evidence == ["container mysql runs with --skip-log-bin"])
    }

    @Test func binlogOffInPastedVariablesIsFound() {
        var snapshot = ClusterSnapshot()
        snapshot.logs = [ContainerLog(pod: nil, text: "Variable_name\tValue\nlog_bin\tOFF\n")]
        #expect(Doctor.diagnose(snapshot).map(\.code) == [.binlogDisabled])
    }

    @Test func worldWritableConfigIsReported() throws {
        let finding = try self.finding("config-ignored", .configFileIgnored)
        #expect(finding.evidence.first?.contains("/etc/mysql/conf.d/rewind-binlog.cnf") == true)
    }

    @Test func claimWithoutClassOnAClusterWithoutDefault() throws {
        let finding = try self.finding("no-default-storage-class", .noDefaultStorageClass)
        #expect(finding.evidence.first == "StorageClasses: local-path")
    }

    @Test func missingClassIsFoundFromEventsAloneWhenClassesWereNotGiven() throws {
        var snapshot = try DoctorFixture(name: "storage-class-not-found").snapshot()
        snapshot.storageClasses = []
        snapshot.sawStorageClasses = false
        let finding = try #require(Doctor.diagnose(snapshot).first)
        #expect(finding.code == .storageClassNotFound)
        #expect(finding.evidence.contains("StorageClasses: (not part of the input)"))
    }

    @Test func waitForFirstConsumerIsNotAProblem() throws {
        var snapshot = ClusterSnapshot()
        snapshot.claims = [
            PersistentVolumeClaim(
                metadata: ObjectMeta(name: "data-mysql-0", namespace: "rewind"),
                spec: .init(storageClassName: "gp3", volumeName: nil, accessModes: nil),
                status: .init(phase: "Pending")
            )
        ]
        snapshot.events = [
            Event(
                metadata: ObjectMeta(name: "e"),
                involvedObject: ObjectReference(kind: "PersistentVolumeClaim", name: "data-mysql-0"),
                reason: "WaitForFirstConsumer",
                message: "waiting for first consumer to be created before binding"
            )
        ]
        #expect(Doctor.diagnose(snapshot).isEmpty)
    }
}
