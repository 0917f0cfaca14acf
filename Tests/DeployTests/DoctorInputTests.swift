import Foundation
import Testing

@testable import Deploy

/// Reading kubectl output and logs, and printing the report.
@Suite struct DoctorInputTests {
    @Test(
        arguments: [
            ("mysql-0.log", "mysql-0", nil, false),
            ("mysql-0_mysql.log", "mysql-0", "mysql", false),
            ("mysql-0_mysql.previous.log", "mysql-0", "mysql", true),
            ("rewind-archiver-0.previous.txt", "rewind-archiver-0", nil, true),
        ] as [(String, String, String?, Bool)]
    )
    func logFileNamesGivePodContainerAndRun(fileName: String, pod: String, container: String?, previous: Bool) {
        let log = DoctorInputLoader.log(fileName: fileName, text: "x")
        #expect(log.pod == pod && log.container == container && log.previous == previous)
    }

    @Test func combinedListDecodesEveryKind() throws {
        let snapshot = try DoctorFixture(name: "storage-class-not-found").snapshot()
        #expect(snapshot.pods.count == 1 && snapshot.claims.count == 1 && snapshot.storageClasses.count == 1)
        #expect(snapshot.events.count == 2 && snapshot.sawStorageClasses)
    }

    @Test func singleObjectAndUnknownKindsDecode() throws {
        let data = Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#.utf8)
        let document = try DoctorInputLoader.document(from: data, path: "x.json")
        #expect(document.objects == [.other(kind: "ConfigMap")])
    }

    @Test func notKubectlJSONThrowsWithThePath() {
        let error = #expect(throws: DoctorInputError.self) {
            try DoctorInputLoader.document(from: Data("{\"items\": 3}".utf8), path: "pods.json")
        }
        #expect(error?.path == "pods.json")
    }

    @Test func namedLogArgumentsAttachToTheirPod() throws {
        let path = DoctorFixture(name: "errno13-hostpath-ntfs").path
        let snapshot = try DoctorInputLoader().load(
            objectFiles: [path + "/pods.json", path + "/pv.json", path + "/pvc.json"],
            logArguments: ["mysql-0/mysql=\(path)/mysql-0_mysql.previous.log"]
        )
        #expect(snapshot.logs.map(\.pod) == ["mysql-0"])
        #expect(Doctor.diagnose(snapshot).map(\.code) == [.dataDirectoryPermissionDenied, .crashLoopBackOff])
    }

    @Test func bareLogArgumentsGoToTroubledPods() throws {
        let path = DoctorFixture(name: "data-dictionary-failed").path
        let snapshot = try DoctorInputLoader().load(
            objectFiles: [path + "/pods.json"],
            logArguments: [path + "/mysql-0_mysql.previous.log"]
        )
        #expect(Doctor.diagnose(snapshot).map(\.code) == [.dataDirectoryUnusable, .crashLoopBackOff])
    }

    @Test func logsWithoutPodsStillGetDiagnosed() {
        var snapshot = ClusterSnapshot()
        snapshot.logs = [
            ContainerLog(pod: nil, text: "mysqld: File './mysql-bin.index' not found (OS errno 13 - Permission denied)")
        ]
        let findings = Doctor.diagnose(snapshot)
        #expect(findings.map(\.code) == [.dataDirectoryPermissionDenied])
        #expect(findings.first?.object == "logs")
    }

    @Test func jsonReportIsStableAndRoundTrips() throws {
        let snapshot = try DoctorFixture(name: "seed-windows-hostpath").snapshot()
        let first = try DoctorReport(diagnosing: snapshot).json()
        #expect(try DoctorReport(diagnosing: snapshot).json() == first)
        #expect(first.contains("\"clean\" : false"))
        let decoded = try JSONDecoder().decode(DoctorReport.self, from: Data(first.utf8))
        #expect(decoded == DoctorReport(diagnosing: snapshot))
    }

    @Test func textReportNamesSeverityObjectAndCode() throws {
        let text = DoctorReport(diagnosing: try DoctorFixture(name: "pv-pvc-mismatch").snapshot()).text
        #expect(text.contains("ERROR pvc/data-mysql-0 [pv-pvc-storage-class-mismatch]"))
        #expect(text.contains("  fix:  A claim binds only a volume of the same storageClassName."))
    }

    /// A temporary directory, removed by the caller.
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-doctor-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func emptyDirectorySaysItFoundNothingToRead() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "notes".write(toFile: directory + "/README.txt", atomically: true, encoding: .utf8)
        let error = #expect(throws: DoctorInputError.self) { try DoctorInputLoader().load(directory: directory) }
        #expect(error?.path == directory)
        #expect(error?.reason.hasPrefix("found nothing to read: no *.json or *.log file in it.") == true)
        #expect(error?.reason.contains("kubectl get pods,pvc,pv,storageclass,events") == true)
    }

    @Test func fileInsteadOfADirectoryGetsASentence() throws {
        let path = DoctorFixture(name: "clean").path + "/pods.json"
        let error = #expect(throws: DoctorInputError.self) { try DoctorInputLoader().load(directory: path) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(
            text == path + ": is a file, not a directory. Pass a saved `kubectl get -o json` file with --input, "
                + "a log with --logs, or give --from-dir the folder that holds them"
        )
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("error 256"))
    }

    @Test func missingDirectoryIsNamed() {
        let error = #expect(throws: DoctorInputError.self) {
            try DoctorInputLoader().load(directory: "/nonexistent/rewind-doctor")
        }
        #expect(error?.reason.hasPrefix("there is no such directory") == true)
    }

    @Test func foundationFileErrorsBecomeThePOSIXReason() {
        let wrapped = NSError(
            domain: NSCocoaErrorDomain,
            code: 256,
            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))]
        )
        #expect(DoctorInputLoader.reason(wrapped) == "Permission denied")
        #expect(DoctorInputLoader.reason(NSError(domain: NSCocoaErrorDomain, code: 256)) == "the system refused it")
    }

    @Test func reportCountsAreEnglish() throws {
        let report = DoctorReport(diagnosing: try DoctorFixture(name: "clean").snapshot())
        #expect(report.input == "1 pod, 1 claim, 1 volume, 1 storage class, 3 events, 1 log")
        #expect(report.text == "rewind doctor: no problems found in what it read (\(report.input))\n")
    }

    @Test func windowsFolderPaths() {
        #expect(Doctor.isWindowsFolder("/run/desktop/mnt/host/c/Users/dev/mysql"))
        #expect(Doctor.isWindowsFolder("/mnt/c/data"))
        #expect(Doctor.isWindowsFolder(#"C:\mysql"#))
        #expect(!Doctor.isWindowsFolder("/var/lib/k8s-pvs/data-mysql-0"))
    }
}

/// `docker-compose logs` output, with its service prefix, is diagnosed like kubectl logs.
@Suite struct DoctorComposeLogTests {
    @Test func composeLogLinesAreRecognised() {
        var snapshot = ClusterSnapshot()
        let lines = [
            "mysqld: [Warning] World-writable config file '/etc/mysql/conf.d/rewind-binlog.cnf' is ignored.",
            "mysqld: File './mysql-bin.index' not found (OS errno 13 - Permission denied)",
            "2026-11-20T09:14:05.703212Z 0 [ERROR] [MY-010020] [Server] Data Dictionary initialization failed.",
        ]
        snapshot.logs = [ContainerLog(pod: nil, text: lines.map { "compose-mysql-1  | " + $0 }.joined(separator: "\n"))]
        // Nothing in these lines shows a first initialisation, so the data directory is not declared empty.
        #expect(
            Doctor.diagnose(snapshot).map(\.code) == [
                .dataDirectoryPermissionDenied, .dataDirectoryUnusable, .configFileIgnored,
            ]
        )
    }
}
