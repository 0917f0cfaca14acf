import Foundation

/// Gathers a ``ClusterSnapshot`` by running kubectl: one `get pods,pvc,pv,storageclass,events -o json`, then
/// `kubectl logs` (current and `--previous`) for each container that is waiting, terminated or restarting.
package struct KubectlClient: Sendable {
    package var executable: String
    package var namespace: String
    package var context: String?
    /// Log lines fetched per container and run.
    package var tailLines = 200

    /// A client for the kubectl found on `PATH`, or `nil` when there is none.
    package init?(namespace: String, context: String?, environment: [String: String]) {
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        guard
            let found = directories.map({ "\($0)/kubectl" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return nil }
        self.executable = found
        self.namespace = namespace
        self.context = context
    }

    /// Runs kubectl and returns what it saw.
    /// - Throws: ``DoctorInputError`` when `kubectl get` fails for another reason than a missing permission (no
    ///   cluster, wrong context), or when no kind at all can be read. A kind the user may not list (RBAC
    ///   `Forbidden`, typically the cluster-scoped PersistentVolumes and StorageClasses) is left out and named in
    ///   ``ClusterSnapshot/unread``. Log fetches that fail (a container that never ran has no `--previous` log)
    ///   are left out.
    package func snapshot() throws -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        do {
            let output = try self.run(["get", Self.kinds.map(\.argument).joined(separator: ","), "-o", "json"])
            snapshot.add(try DoctorInputLoader.document(from: output, path: "kubectl get"), listsStorageClasses: true)
        } catch let error as DoctorInputError where error.isForbidden {
            // One kind the user may not list fails the whole request: ask for each kind on its own.
            var firstError: DoctorInputError?
            for kind in Self.kinds {
                do {
                    let output = try self.run(["get", kind.argument, "-o", "json"])
                    snapshot.add(
                        try DoctorInputLoader.document(from: output, path: "kubectl get \(kind.argument)"),
                        listsStorageClasses: kind.argument == "storageclass"
                    )
                } catch let error as DoctorInputError where error.isForbidden {
                    firstError = firstError ?? error
                    snapshot.unread.append("\(kind.plural) (\(error.lastLine))")
                }
            }
            if snapshot.unread.count == Self.kinds.count, let firstError { throw firstError }
        }
        for pod in snapshot.pods where pod.isTroubled {
            guard let name = pod.metadata.name else { continue }
            for status in pod.allContainerStatuses {
                for previous in [true, false] {
                    var arguments = ["logs", name, "-c", status.name, "--tail", String(self.tailLines)]
                    if previous { arguments.append("--previous") }
                    guard let data = try? self.run(arguments), !data.isEmpty else { continue }
                    snapshot.logs.append(
                        ContainerLog(
                            pod: name,
                            container: status.name,
                            previous: previous,
                            text: String(decoding: data, as: UTF8.self)
                        )
                    )
                }
            }
        }
        return snapshot
    }

    /// What the doctor reads, as kubectl names it on the command line and in its messages.
    static let kinds: [(argument: String, plural: String)] = [
        ("pods", "pods"), ("pvc", "persistentvolumeclaims"), ("pv", "persistentvolumes"),
        ("storageclass", "storageclasses"), ("events", "events"),
    ]

    private func run(_ arguments: [String]) throws -> Data {
        var full: [String] = []
        if let context { full += ["--context", context] }
        full += ["--namespace", self.namespace] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.executable)
        process.arguments = full
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DoctorInputError(
                "cannot run kubectl (\(Self.describe(launchError: error))); check that it is executable",
                path: self.executable
            )
        }
        // Drain stderr concurrently so a chatty kubectl cannot block on a full pipe while we read stdout.
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = errorData.wait()
        guard process.terminationStatus == 0 else {
            // kubectl repeats its client-go retries; the last line says what went wrong.
            let text =
                String(decoding: message, as: UTF8.self).split(whereSeparator: \.isNewline).last
                .map { String($0).trimmingWhitespace() } ?? ""
            var error = DoctorInputError(
                "kubectl \(arguments.prefix(2).joined(separator: " ")) failed (exit \(process.terminationStatus))"
                    + (text.isEmpty ? "" : ": \(text)")
            )
            error.lastLine = text
            throw error
        }
        return data
    }

    /// Foundation wraps a failed exec in a generic Cocoa error; the POSIX reason underneath is what helps.
    private static func describe(launchError error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        return nsError.localizedDescription
    }
}

/// Hands stderr's bytes from the reader thread to the caller.
private final class ErrorCollector: Sendable {
    private let state = NSCondition()
    // Guarded by `state`; written once by the reader thread, read once after it signals.
    nonisolated(unsafe) private var data: Data?

    func set(_ value: Data) {
        self.state.lock()
        self.data = value
        self.state.signal()
        self.state.unlock()
    }

    func wait() -> Data {
        self.state.lock()
        defer { self.state.unlock() }
        while self.data == nil { self.state.wait() }
        return self.data ?? Data()
    }
}
