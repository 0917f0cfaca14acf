import ArgumentParser
import Deploy
import Foundation

/// `rewind doctor`: names what keeps a Kubernetes (or Compose) MySQL deployment from running, and the fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Diagnose a MySQL deployment from kubectl output: storage, permissions, crashes, binlog.",
        discussion: """
            Without input options it runs kubectl itself: `kubectl get pods,pvc,pv,storageclass,events -o json` in \
            the namespace, then `kubectl logs` (and --previous) of each troubled container. Or give it saved output: \
            --from-dir DIR (every *.json is kubectl JSON, every *.log is a log named POD[_CONTAINER][.previous].log), \
            or the files one by one ('-' reads standard input). Kinds kubectl may not list (RBAC) are left out and \
            named. Exits 1 when it finds a problem, 0 when what it read is clean, 2 when it cannot read its input \
            (a missing --from-dir, a file instead of a directory, or a directory with no *.json or *.log).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @Option(name: .customLong("from-dir"), help: "A directory of saved kubectl JSON (*.json) and logs (*.log).")
    var fromDirectory: String?

    @Option(help: "Output of `kubectl get pods -o json` ('-' for standard input).")
    var pods: [String] = []

    @Option(help: "Output of `kubectl get pvc -o json`.")
    var pvc: [String] = []

    @Option(help: "Output of `kubectl get pv -o json`.")
    var pv: [String] = []

    @Option(help: "Output of `kubectl get storageclass -o json`.")
    var storageclass: [String] = []

    @Option(help: "Output of `kubectl get events -o json`.")
    var events: [String] = []

    @Option(help: "Any `kubectl get ... -o json` output, e.g. of `get pods,pvc,pv,storageclass,events`.")
    var input: [String] = []

    @Option(help: "Output of `kubectl logs`: PATH, or POD[/CONTAINER]=PATH to name its pod.")
    var logs: [String] = []

    @Option(help: "Namespace to inspect when running kubectl.")
    var namespace: String = "rewind"

    @Option(help: "kubectl context to use.")
    var context: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    private var objectFiles: [String] { self.pods + self.pvc + self.pv + self.storageclass + self.events + self.input }

    func validate() throws {
        if self.fromDirectory != nil && (!self.objectFiles.isEmpty || !self.logs.isEmpty) {
            throw ValidationError(
                "--from-dir cannot be combined with --pods, --pvc, --pv, --storageclass, --events, --input or --logs."
            )
        }
        if self.objectFiles.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Only one input can be read from standard input ('-').")
        }
    }

    func run() async throws {
        let snapshot: ClusterSnapshot
        do {
            snapshot = try self.loadSnapshot()
        } catch let error as DoctorInputError {
            FileHandle.standardError.write(Data("rewind doctor: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let report = DoctorReport(diagnosing: snapshot)
        switch self.format {
        case .text: print(report.text, terminator: "")
        case .json: print(try report.json(), terminator: "")
        }
        if !report.isClean { throw ExitCode(1) }
    }

    private func loadSnapshot() throws -> ClusterSnapshot {
        let loader = DoctorInputLoader()
        if let directory = self.fromDirectory { return try loader.load(directory: directory) }
        if !self.objectFiles.isEmpty || !self.logs.isEmpty {
            var snapshot = try loader.load(objectFiles: self.objectFiles, logArguments: self.logs)
            if !self.storageclass.isEmpty { snapshot.sawStorageClasses = true }
            return snapshot
        }
        guard
            let client = KubectlClient(
                namespace: self.namespace,
                context: self.context,
                environment: ProcessInfo.processInfo.environment
            )
        else {
            throw DoctorInputError(
                "kubectl is not on PATH: install it, or pass saved output with --from-dir DIR or --input FILE"
            )
        }
        return try client.snapshot()
    }
}
