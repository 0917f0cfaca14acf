import Testing

@testable import Deploy

/// The four failures of the first Docker Desktop attempt, each named with the right evidence and fix.
@Suite struct DoctorSeedFailureTests {
    private func finding(_ fixture: String, _ code: Finding.Code) throws -> Finding {
        try #require(try DoctorFixture(name: fixture).findings().first { $0.code == code })
    }

    @Test func missingStandardClassNamesTheClassesThatExist() throws {
        let finding = try self.finding("storage-class-not-found", .storageClassNotFound)
        #expect(finding.object == "pvc/data-mysql-0")
        #expect(finding.problem.contains("\"standard\""))
        #expect(finding.evidence.contains("StorageClasses: hostpath (default)"))
        #expect(finding.evidence.contains { $0.contains("ProvisioningFailed") })
        #expect(finding.fix.contains("deploy/k8s/overlays/docker-desktop"))
        #expect(finding.fix.contains("kubectl delete pvc data-mysql-0 -n rewind"))
    }

    @Test func errno13OnAWindowsHostPathBlamesNTFSAndFsGroup() throws {
        let finding = try self.finding("errno13-hostpath-ntfs", .dataDirectoryPermissionDenied)
        #expect(
            finding.evidence.first == "mysqld: File './mysql-bin.index' not found (OS errno 13 - Permission denied)"
        )
        #expect(finding.evidence.contains("pv/mysql-pv is hostPath /run/desktop/mnt/host/c/Users/dev/mysql-data"))
        #expect(finding.problem.contains("NTFS") && finding.problem.contains("fsGroup"))
        #expect(finding.fix.contains("docker-desktop-fix-ownership"))
    }

    @Test func dataDictionaryFailureWithoutProofOfAnEmptyDirectoryNeverSaysDelete() throws {
        let finding = try self.finding("data-dictionary-failed", .dataDirectoryUnusable)
        #expect(finding.evidence.contains { $0.contains("Data Dictionary initialization failed") })
        #expect(finding.problem.contains("do not delete it"))
        #expect(!finding.fix.contains("delete pvc") && !finding.fix.contains("down -v"))
        #expect(finding.fix.contains("kubectl scale statefulset/mysql -n rewind --replicas=0"))
        #expect(finding.fix.contains("Back up a data volume"))
    }

    @Test func provenNeverInitialisedDirectoryMayBeWipedAfterTheBackupHint() throws {
        let findings = try DoctorFixture(name: "seed-windows-hostpath").findings()
        let wipe = try #require(findings.first { $0.code == .dataDirectoryHalfInitialised })
        #expect(
            wipe.evidence.contains {
                $0.hasPrefix("proof it never held data:") && $0.lowercased().contains("initializing")
            }
        )
        #expect(wipe.fix.contains("kubectl delete pvc data-mysql-0 -n rewind"))
        #expect(wipe.fix.contains("kubectl scale statefulset/mysql -n rewind --replicas=0"))
    }

    @Test func crashLoopPointsAtItsCauseAndShowsTheLastLogLines() throws {
        let finding = try self.finding("data-dictionary-failed", .crashLoopBackOff)
        #expect(finding.evidence.contains("restartCount: 7"))
        #expect(finding.evidence.contains("lastState.terminated: exit code 1 (Error)"))
        #expect(finding.evidence.contains { $0.contains("Data Dictionary initialization failed.") })
        #expect(finding.fix.contains("datadir-unusable"))
    }

    @Test func pvAndClaimWithDifferentClassesAreNamedWithBothClasses() throws {
        let finding = try self.finding("pv-pvc-mismatch", .storageClassMismatch)
        #expect(finding.evidence.contains("pvc/data-mysql-0: storageClassName \"hostpath\", status Pending"))
        #expect(finding.evidence.contains { $0.hasPrefix("pv/mysql-pv: storageClassName \"manual\"") })
        #expect(finding.evidence.contains { $0.contains("VolumeMismatch") })
        #expect(finding.fix.contains("kubectl delete pv mysql-pv"))
    }

    @Test func wholeSeedStoryFixesPermissionsBeforeWiping() throws {
        let findings = try DoctorFixture(name: "seed-windows-hostpath").findings()
        let wipe = try #require(findings.first { $0.code == .dataDirectoryHalfInitialised })
        #expect(wipe.fix.hasPrefix("First fix the permission problem above."))
    }
}

/// Two seed failures at once: the claim asks for a missing class, and the hand-made PV names yet another.
@Suite struct DoctorCombinedStorageTests {
    @Test func missingClassAndMismatchedVolumeAreBothNamed() throws {
        var snapshot = try DoctorFixture(name: "pv-pvc-mismatch").snapshot()
        snapshot.claims[0].spec?.storageClassName = "standard"
        snapshot.claims[0].spec?.volumeName = nil
        let codes = Doctor.diagnose(snapshot).map(\.code)
        #expect(codes == [.storageClassNotFound, .storageClassMismatch])
    }
}
