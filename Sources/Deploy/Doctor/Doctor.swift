/// Names what keeps a MySQL deployment from running, and how to fix it, from a ``ClusterSnapshot``.
///
/// Pure: no I/O, no clock. ``DoctorInputLoader`` and ``KubectlClient`` gather the snapshot; the CLI prints the
/// findings. The checks cover the failures seen on first deployments (Docker Desktop has no `standard`
/// StorageClass; hostPath volumes on Windows folders ignore fsGroup and give mysqld `errno 13`; the failed start
/// leaves a half-initialised data directory; hand-made PVs whose class differs from the claim's never bind) and
/// the usual pod failures (CrashLoopBackOff, OOMKilled, image pulls), plus a server running without a binlog.
package enum Doctor {
    /// All findings for the snapshot: storage first, then each pod (log causes before the symptoms they explain).
    package static func diagnose(_ snapshot: ClusterSnapshot) -> [Finding] {
        let storage = self.storageFindings(snapshot)
        var findings = storage
        if snapshot.pods.isEmpty && snapshot.logs.isEmpty && snapshot.claims.isEmpty && snapshot.volumes.isEmpty {
            // "No problems" about nothing would read as a healthy deployment.
            findings.append(
                Finding(
                    code: .noPods, severity: .warning, object: "namespace",
                    problem: "no pod, claim, volume or log was read, so nothing was diagnosed",
                    evidence: ["0 pods, 0 claims, 0 volumes and 0 logs in what was read"],
                    fix: "check --namespace and --context: `kubectl get pods -n NAMESPACE` must list the MySQL pod; "
                        + "with --from-dir or --pods, give what `kubectl get pods -o json` printed for that namespace"))
        }
        for subject in self.subjects(snapshot) {
            var podFindings = self.logFindings(subject, snapshot: snapshot)
            if let pod = subject.pod {
                podFindings += self.containerFindings(pod, logs: subject.logs, causes: podFindings)
                podFindings += self.readinessFindings(pod, snapshot: snapshot, named: storage + podFindings)
            }
            findings += podFindings
        }
        return findings
    }

    /// A pod and the logs that belong to it, or logs that belong to no known pod.
    struct Subject {
        var object: String
        var pod: Pod?
        var logs: [ContainerLog]
    }

    /// Pods by name; logs without a pod go to the troubled pods, or stand alone when there are none.
    static func subjects(_ snapshot: ClusterSnapshot) -> [Subject] {
        let pods = snapshot.pods.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        let podNames = Set(pods.compactMap(\.metadata.name))
        let unattached = snapshot.logs.filter { $0.pod == nil }
        let troubled = pods.filter(\.isTroubled)
        var subjects = pods.map { pod in
            var logs = snapshot.logs.filter { $0.pod != nil && $0.pod == pod.metadata.name }
            if troubled.contains(pod) { logs += unattached }
            return Subject(object: pod.displayName, pod: pod, logs: logs.sorted { $0.previous && !$1.previous })
        }
        let orphanPods = Set(snapshot.logs.compactMap(\.pod)).subtracting(podNames).sorted()
        for name in orphanPods {
            subjects.append(Subject(object: "pod/\(name)", pod: nil, logs: snapshot.logs.filter { $0.pod == name }))
        }
        if troubled.isEmpty && !unattached.isEmpty {
            subjects.append(Subject(object: "logs", pod: nil, logs: unattached))
        }
        return subjects
    }
}

extension Pod {
    /// A container is waiting, has terminated or has restarted.
    var isTroubled: Bool {
        self.allContainerStatuses.contains { status in
            status.state?.waiting != nil || status.state?.terminated != nil || (status.restartCount ?? 0) > 0
                || status.ready == false
        } || self.status?.phase == "Pending" || self.status?.phase == "Failed"
    }

    /// Names of the claims the pod mounts.
    var claimNames: [String] {
        (self.spec?.volumes ?? []).compactMap { $0.persistentVolumeClaim?.claimName }
    }

    var namespaceOrDefault: String { self.metadata.namespace ?? "rewind" }
}
