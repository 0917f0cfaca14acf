extension Doctor {
    /// A data directory mysqld cannot open: written by a newer server, proven never initialised (safe to wipe),
    /// or neither (it may hold data: back it up and look, never delete).
    static func dataDirectoryFindings(_ subject: Subject, permissionDenied: Bool) -> [Finding] {
        let namespace = subject.pod?.namespaceOrDefault ?? "rewind"
        let claim = subject.pod?.claimNames.first ?? "data-mysql-0"
        let workload = subject.pod?.workload
        let stop =
            workload.map { $0.isScalable ? "kubectl scale \($0) -n \(namespace) --replicas=0" : "stop \($0)" }
            ?? "stop the workload that runs \(subject.object)"
        let backup =
            "To keep a copy first, stop the server (\(stop)) and copy the volume out with a helper pod "
            + "(docs/kubernetes.md, \"Back up a data volume\"). "
        let downgradeLines = self.matchingLines(subject.logs, self.downgradeNeedles)
        if !downgradeLines.isEmpty {
            let versions = downgradeLines.lazy.compactMap(Self.downgradeVersions).first
            let problem =
                versions.map {
                    "The data directory was written by MySQL \($0.data), but the image runs MySQL \($0.server): "
                        + "MySQL cannot start on data of a newer version (no downgrade)."
                }
                ?? "The data directory was written by a newer MySQL than the image runs: MySQL cannot downgrade it."
            let image = versions.map { "mysql:\($0.data) or later" } ?? "the version that wrote the data, or later"
            return [
                Finding(
                    code: .dataDirectoryNewerVersion,
                    severity: .error,
                    object: subject.object,
                    problem: problem,
                    evidence: Array(downgradeLines.prefix(3)),
                    fix: "The data is intact: do not delete the volume. Run the image version that wrote it "
                        + "(\(image)): set the image back in the overlay (deploy/k8s/components/mysql-8.4 for "
                        + "8.4 LTS) and apply it again; the pod then starts on its own. To go back to an older "
                        + "version, dump the data with the newer server (mysqldump) and load it into a new "
                        + "install. " + backup.trimmingWhitespace()
                )
            ]
        }
        let unusableLines = self.matchingLines(subject.logs, self.unusableNeedles)
        guard !unusableLines.isEmpty else { return [] }
        // A server that was ready on its port (not the entrypoint's port-0 temporary one) may have taken writes.
        let servedClients = self.matchingLines(subject.logs, ["ready for connections"]).contains {
            !$0.contains("port: 0")
        }
        let proof = servedClients ? [] : self.matchingLines(subject.logs, self.neverInitialisedNeedles)
        let first = permissionDenied ? "First fix the permission problem above. Then " : ""
        if !proof.isEmpty {
            return [
                Finding(
                    code: .dataDirectoryHalfInitialised,
                    severity: .error,
                    object: subject.object,
                    problem: "The data directory was left half-initialised by a failed first start; mysqld will not "
                        + "start from it. The log shows the first initialisation, so it holds no data yet.",
                    evidence: Array(unusableLines.prefix(3)) + ["proof it never held data: \(proof[0])"],
                    fix: first + "wipe the volume (only because the log shows it was never initialised): "
                        + "\(stop); kubectl delete pvc \(claim) -n \(namespace) (and a hand-made PV with its "
                        + "folder's contents); kubectl apply -k deploy/k8s/overlays/<overlay>. With Compose: "
                        + "docker-compose down -v removes the mysql-data volume. " + backup.trimmingWhitespace()
                )
            ]
        }
        return [
            Finding(
                code: .dataDirectoryUnusable,
                severity: .error,
                object: subject.object,
                problem: "mysqld cannot open its data directory. Nothing in the log shows that the directory is "
                    + "empty, so it may hold data: do not delete it.",
                evidence: Array(unusableLines.prefix(3)),
                fix: first.isEmpty
                    ? backup + "Then read the lines before \"Data Dictionary initialization failed\" in kubectl logs "
                        + "\(subject.pod?.metadata.name ?? "POD") -n \(namespace) --previous: a newer MySQL version, "
                        + "missing files or permissions. Only if this is a new install whose first start failed "
                        + "(that log shows \"initializing of server in progress\") is wiping the volume safe."
                    : first + "restart the pod and read its log again. " + backup.trimmingWhitespace()
            )
        ]
    }

    /// `(server, data)` versions from `Cannot boot server version 80040 on data directory built by version 80400`.
    static func downgradeVersions(_ line: String) -> (server: String, data: String)? {
        guard
            let match = line.firstMatch(
                of: #/server version (\d{5,6}) on data directory built by version (\d{5,6})/#
            ),
            let server = Int(match.1), let data = Int(match.2)
        else { return nil }
        func dotted(_ id: Int) -> String { "\(id / 10000).\(id / 100 % 100).\(id % 100)" }
        return (dotted(server), dotted(data))
    }
}
