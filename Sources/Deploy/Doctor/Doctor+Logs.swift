import Foundation

extension Doctor {
    /// mysqld log lines meaning the data directory is not writable by the mysql user.
    static let permissionNeedles = ["errno 13", "errno: 13", "Operation not permitted"]
    /// mysqld log lines of a data directory mysqld cannot open; alone they do not say whether it holds data.
    static let unusableNeedles = [
        "Data Dictionary initialization failed", "Failed to initialize DD Storage Engine",
        "is unusable. You can remove all files", "Table 'mysql.plugin' doesn't exist",
        "Can't open and lock privilege tables", "--initialize specified but the data directory has files in it",
    ]
    /// Lines that prove the directory never held a working server: the image's entrypoint only initialises a
    /// directory without a `mysql` schema, and `--initialize` refuses one it did not make itself.
    static let neverInitialisedNeedles = [
        "initializing of server in progress", "--initialize specified but the data directory has files in it",
        "Initializing database files",
    ]
    /// A data directory written by a newer server (`[MY-013171]` on MySQL 8.0 over 8.4 data, and its kin).
    static let downgradeNeedles = [
        "MY-013171", "Downgrade is not supported", "Cannot downgrade from", "downgrade is not supported",
    ]
    static let binlogOffNeedles = ["You need to use --log-bin to make", "binary logging is disabled"]
    static let binlogOffArguments: Set<String> = [
        "--skip-log-bin", "--skip_log_bin", "--disable-log-bin", "--disable_log_bin", "--log-bin=OFF",
        "--log_bin=OFF", "--log-bin=0", "--log_bin=0",
    ]

    /// Causes read from the logs (and, for the binlog, from the container's arguments).
    static func logFindings(_ subject: Subject, snapshot: ClusterSnapshot) -> [Finding] {
        var findings: [Finding] = []
        let namespace = subject.pod?.namespaceOrDefault ?? "rewind"
        let claim = subject.pod?.claimNames.first
        let permissionLines = self.matchingLines(
            subject.logs,
            self.permissionNeedles,
            extra: { line in
                line.contains("Permission denied") && (line.contains("mysql") || line.contains("/var/lib"))
            }
        )
        if !permissionLines.isEmpty {
            var evidence = Array(permissionLines.prefix(3))
            var problem = "mysqld cannot write its data directory (OS errno 13, permission denied)."
            if let volume = self.volume(of: subject.pod, snapshot: snapshot), let path = volume.nodePath {
                evidence.append("\(volume.displayName) is hostPath \(path)")
                if self.isWindowsFolder(path) {
                    problem +=
                        " The volume is a Windows (NTFS) folder: it has no Unix owners, and the kubelet does "
                        + "not apply fsGroup to hostPath volumes, so UID 999 cannot write it."
                } else {
                    problem += " The volume is a hostPath, for which the kubelet ignores fsGroup."
                }
            }
            findings.append(
                Finding(
                    code: .dataDirectoryPermissionDenied,
                    severity: .error,
                    object: subject.object,
                    problem: problem,
                    evidence: evidence,
                    fix: "Do not keep the data directory on a hand-made hostPath PV or a Windows folder. Apply "
                        + "deploy/k8s/overlays/docker-desktop: it names no StorageClass, so the cluster's default "
                        + "class provisions a directory inside Docker Desktop's Linux VM that any UID may write "
                        + "(the kubelet ignores fsGroup for hostPath volumes, so fsGroup does not help there). If "
                        + "the volume still belongs to another user, apply "
                        + "deploy/k8s/overlays/docker-desktop-fix-ownership: a root init container chowns it to "
                        + "999:999 once, when its top directory has another owner. With Compose, keep the named "
                        + "volume mysql-data; never bind-mount a Windows folder at /var/lib/mysql."
                )
            )
        }
        findings += self.dataDirectoryFindings(subject, permissionDenied: !permissionLines.isEmpty)
        let ignoredLines = self.matchingLines(subject.logs, ["World-writable config file"])
        if !ignoredLines.isEmpty {
            findings.append(
                Finding(
                    code: .configFileIgnored,
                    severity: .error,
                    object: subject.object,
                    problem: "mysqld ignored a world-writable config file, so Rewind's binlog settings are not in "
                        + "force.",
                    evidence: Array(ignoredLines.prefix(3)),
                    fix: "Docker Desktop shows files bind-mounted from a Windows folder as writable by everyone. Keep "
                        + "the checkout inside WSL (\\\\wsl$\\...) so conf.d/rewind-binlog.cnf is 0644, or use the "
                        + "Kubernetes overlays, which mount it read-only from a ConfigMap."
                )
            )
        }
        var binlogEvidence = self.matchingLines(
            subject.logs,
            self.binlogOffNeedles,
            extra: { line in
                line.range(of: #"\blog_bin\s*[|\t ]\s*OFF\b"#, options: .regularExpression) != nil
            }
        )
        for container in (subject.pod?.spec?.containers ?? []) {
            let arguments = (container.command ?? []) + (container.args ?? [])
            for argument in arguments where self.binlogOffArguments.contains(argument) {
                binlogEvidence.append("container \(container.name) runs with \(argument)")
            }
        }
        if !binlogEvidence.isEmpty {
            findings.append(
                Finding(
                    code: .binlogDisabled,
                    severity: .error,
                    object: subject.object,
                    problem: "The server runs without a binary log: there is nothing to archive or recover from.",
                    evidence: Array(binlogEvidence.prefix(4)),
                    fix: "Remove --skip-log-bin / --disable-log-bin from the container's arguments and mount "
                        + "rewind-binlog.cnf at /etc/mysql/conf.d (Compose: conf.d/; Kubernetes: the mysql-config "
                        + "ConfigMap). Check with `rewind status` or SELECT @@log_bin, @@binlog_format."
                )
            )
        }
        return findings
    }

    /// Lines of any log with one of the needles (or accepted by `extra`), without repeats, previous runs first.
    static func matchingLines(
        _ logs: [ContainerLog],
        _ needles: [String],
        extra: (String) -> Bool = { _ in false }
    ) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for log in logs {
            let lines = log.text.split(whereSeparator: \.isNewline).map(String.init)
            for line in lines {
                let lower = line.lowercased()
                guard needles.contains(where: { lower.contains($0.lowercased()) }) || extra(line) else { continue }
                let trimmed = line.trimmingWhitespace()
                if seen.insert(trimmed).inserted { result.append(trimmed) }
            }
        }
        return result
    }

    /// The PersistentVolume behind the pod's first claim, or its hostPath volume.
    static func volume(of pod: Pod?, snapshot: ClusterSnapshot) -> PersistentVolume? {
        guard let pod else { return nil }
        for claimName in pod.claimNames {
            let claim = snapshot.claims.first { $0.metadata.name == claimName }
            if let volumeName = claim?.spec?.volumeName,
                let volume = snapshot.volumes.first(where: { $0.metadata.name == volumeName })
            {
                return volume
            }
            if let volume = snapshot.volumes.first(where: { $0.spec?.claimRef?.name == claimName }) { return volume }
        }
        if let hostPath = pod.spec?.volumes?.first(where: { $0.hostPath != nil })?.hostPath {
            return PersistentVolume(
                metadata: ObjectMeta(name: "(pod hostPath volume)"),
                spec: .init(storageClassName: nil, claimRef: nil, hostPath: hostPath, local: nil, capacity: nil),
                status: nil
            )
        }
        return nil
    }

    /// Docker Desktop exposes Windows drives as /run/desktop/mnt/host/c, /host_mnt/c or /mnt/c; or a raw `C:\`.
    static func isWindowsFolder(_ path: String) -> Bool {
        let patterns = [
            #"^/run/desktop/mnt/host/[a-zA-Z]/"#, #"^/host_mnt/[a-zA-Z]/"#, #"^/mnt/[a-zA-Z]/"#, #"^[a-zA-Z]:[\\/]"#,
        ]
        return patterns.contains { path.range(of: $0, options: .regularExpression) != nil }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
