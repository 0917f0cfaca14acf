import Testing

@testable import Deploy

/// Every fixture folder gives exactly the findings its expected.txt lists; the clean one gives none.
@Suite struct DoctorFixtureTests {
    @Test func fixturesArePresent() {
        #expect(DoctorFixture.all.count >= 12)
    }

    @Test(arguments: DoctorFixture.all)
    func diagnosesExactlyTheExpectedProblems(fixture: DoctorFixture) throws {
        let codes = try fixture.findings().map(\.code.rawValue)
        #expect(codes == (try fixture.expectedCodes()))
    }

    @Test func cleanClusterGivesACleanReport() throws {
        let snapshot = try DoctorFixture(name: "clean").snapshot()
        #expect(snapshot.pods.count == 1 && snapshot.claims.count == 1 && snapshot.logs.count == 1)
        let report = DoctorReport(diagnosing: snapshot)
        #expect(report.isClean)
        #expect(report.text.hasPrefix("rewind doctor: no problems found"))
    }

    /// Nothing read (a wrong namespace, an empty list) is not "no problems": it says so, and is not clean.
    @Test func nothingReadIsNotAHealthyDeployment() {
        let report = DoctorReport(diagnosing: ClusterSnapshot())
        #expect(!report.isClean)
        #expect(report.findings.map(\.code) == [.noPods])
        #expect(report.text.contains("nothing was diagnosed"))
        #expect(!report.text.contains("no problems found"))
    }

    @Test func everyFindingHasEvidenceAndAFix() throws {
        for fixture in DoctorFixture.all {
            for finding in try fixture.findings() {
                #expect(!finding.evidence.isEmpty, "\(fixture.name): \(finding.code)")
                #expect(!finding.fix.isEmpty, "\(fixture.name): \(finding.code)")
            }
        }
    }
}
