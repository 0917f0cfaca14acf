import Foundation

/// Reads a ``ClusterSnapshot`` from files: `kubectl get ... -o json` output and `kubectl logs` output.
///
/// Log files are named after what they hold: `POD.log`, `POD_CONTAINER.log`, with `.previous` before `.log` for
/// `kubectl logs --previous` (e.g. `mysql-0_mysql.previous.log`). A log given as `POD[/CONTAINER]=PATH` names its
/// pod explicitly; a log given as a bare path belongs to whichever pods are in trouble.
package struct DoctorInputLoader: Sendable {
    package init() {}

    /// Every `*.json` (kubectl objects) and `*.log` (kubectl logs) file in a directory; other files are ignored.
    /// - Throws: ``DoctorInputError`` when the path is missing, is a file, cannot be listed, or holds neither.
    package func load(directory: String) throws -> ClusterSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DoctorInputError(
                "there is no such directory; give --from-dir the folder where you saved the kubectl output",
                path: directory
            )
        }
        guard isDirectory.boolValue else {
            throw DoctorInputError(
                "is a file, not a directory. Pass a saved `kubectl get -o json` file with --input, a log with "
                    + "--logs, or give --from-dir the folder that holds them",
                path: directory
            )
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw DoctorInputError("cannot list the directory (\(Self.reason(error)))", path: directory)
        }
        var snapshot = ClusterSnapshot()
        var read = 0
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(".json") {
                try self.addObjects(from: path, to: &snapshot)
                read += 1
            } else if name.hasSuffix(".log") {
                snapshot.logs.append(Self.log(fileName: name, text: try self.read(path)))
                read += 1
            }
        }
        guard read > 0 else {
            throw DoctorInputError(
                "found nothing to read: no *.json or *.log file in it. Save the cluster's state there first, e.g. "
                    + "kubectl get pods,pvc,pv,storageclass,events -n rewind -o json > \(directory)/cluster.json "
                    + "and kubectl logs mysql-0 -n rewind -c mysql > \(directory)/mysql-0_mysql.log",
                path: directory
            )
        }
        return snapshot
    }

    /// The POSIX reason under a Foundation file error ("Permission denied"), never "NSCocoaErrorDomain error 256".
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return "the system refused it"
    }

    /// Object files (`-` is standard input) and log arguments (`PATH` or `POD[/CONTAINER]=PATH`).
    package func load(objectFiles: [String], logArguments: [String]) throws -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        for path in objectFiles { try self.addObjects(from: path, to: &snapshot) }
        for argument in logArguments {
            if let equals = argument.firstIndex(of: "="), !argument.hasPrefix("/") {
                let owner = argument[..<equals].split(separator: "/", maxSplits: 1).map(String.init)
                let path = String(argument[argument.index(after: equals)...])
                snapshot.logs.append(
                    ContainerLog(
                        pod: owner.first,
                        container: owner.count > 1 ? owner[1] : nil,
                        previous: path.hasSuffix(".previous.log"),
                        text: try self.read(path)
                    )
                )
            } else {
                snapshot.logs.append(ContainerLog(pod: nil, previous: false, text: try self.read(argument)))
            }
        }
        return snapshot
    }

    /// Decodes one `kubectl get -o json` output.
    package static func document(from data: Data, path: String) throws -> KubernetesDocument {
        do {
            return try JSONDecoder().decode(KubernetesDocument.self, from: data)
        } catch let error as DecodingError {
            throw DoctorInputError("not `kubectl get -o json` output (\(Self.describe(error)))", path: path)
        }
    }

    /// Pod, container and previous-run flag from a log file's name.
    package static func log(fileName: String, text: String) -> ContainerLog {
        var stem = fileName
        for suffix in [".log", ".txt"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        let previous = stem.hasSuffix(".previous")
        if previous { stem.removeLast(".previous".count) }
        let parts = stem.split(separator: "_", maxSplits: 1).map(String.init)
        return ContainerLog(
            pod: parts.first,
            container: parts.count > 1 ? parts[1] : nil,
            previous: previous,
            text: text
        )
    }

    private func addObjects(from path: String, to snapshot: inout ClusterSnapshot) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw DoctorInputError("cannot read the file", path: path)
            }
            data = contents
        }
        let listsStorageClasses = (path as NSString).lastPathComponent.lowercased().contains("storageclass")
        snapshot.add(try Self.document(from: data, path: path), listsStorageClasses: listsStorageClasses)
    }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DoctorInputError("cannot read the file", path: path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
