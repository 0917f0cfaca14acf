import Foundation

extension Doctor {
    /// Pods that are not ready: a missing Secret or key, no node with room, probes refused with "Access denied",
    /// and, for anything else, the pod's conditions, container states and Warning events. `named` are the
    /// findings already made for this pod and its claims: a pod they explain gets no general finding.
    static func readinessFindings(_ pod: Pod, snapshot: ClusterSnapshot, named: [Finding]) -> [Finding] {
        guard !pod.isReady else { return [] }
        var findings: [Finding] = []
        let name = pod.metadata.name ?? "POD"
        let namespace = pod.namespaceOrDefault
        let warnings = snapshot.events(kind: "Pod", name: pod.metadata.name).filter { $0.type == "Warning" }
        let warningLines = warnings.map { "event \($0.reason ?? "?"): \(Self.oneLine($0.message))" }

        for status in pod.allContainerStatuses {
            guard let waiting = status.state?.waiting, waiting.reason == "CreateContainerConfigError",
                let message = waiting.message
            else { continue }
            guard let missing = Self.missingSecret(in: message) else { continue }
            let what = missing.key.map { "key \($0) of Secret \(missing.secret)" } ?? "Secret \(missing.secret)"
            findings.append(
                Finding(
                    code: .secretMissing,
                    severity: .error,
                    object: pod.displayName,
                    problem: "Container \(status.name) cannot start: its environment names the \(what), which "
                        + "does not exist.",
                    evidence: [
                        "state.waiting.reason: CreateContainerConfigError", "state.waiting.message: \(message)",
                    ],
                    fix: missing.secret == "mysql-credentials"
                        ? "Create the credentials once: deploy/credentials kubernetes --namespace \(namespace) "
                            + "(random passwords, every key the manifests read; an existing Secret is kept). To "
                            + "add one key to an existing Secret: kubectl -n \(namespace) edit secret "
                            + "mysql-credentials. The pod starts on its own once the Secret has the key."
                        : "Create the Secret or add the key (kubectl -n \(namespace) create secret generic "
                            + "\(missing.secret) --from-file=KEY=FILE); the pod starts on its own once it exists."
                )
            )
        }

        let scheduling =
            warnings.filter { $0.reason == "FailedScheduling" }.compactMap(\.message)
            + (pod.status?.conditions ?? []).filter { $0.type == "PodScheduled" && $0.status == "False" }
            .compactMap(\.message)
        if let message = scheduling.first(where: {
            $0.contains("Insufficient memory") || $0.contains("Insufficient cpu")
        }) {
            let requests = (pod.spec?.containers ?? []).map { container in
                "container \(container.name) requests memory \(container.resources?.requests?["memory"] ?? "(none)"), "
                    + "cpu \(container.resources?.requests?["cpu"] ?? "(none)")"
            }
            findings.append(
                Finding(
                    code: .podUnschedulable,
                    severity: .error,
                    object: pod.displayName,
                    problem: "No node has enough free "
                        + (message.contains("Insufficient memory") ? "memory" : "CPU")
                        + " for the pod's requests, so it is never scheduled.",
                    evidence: ["FailedScheduling: \(message)"] + requests,
                    fix: "Give the cluster room or ask for less. Docker Desktop: Settings > Resources > Memory "
                        + "(the docker-desktop overlay needs about 1 GiB free for MySQL and the archiver). Or lower "
                        + "requests and limits in the overlay's resources.yaml together with "
                        + "innodb_buffer_pool_size in its sizing.cnf (scripts/validate-deploy checks they fit). "
                        + "See what is free with kubectl describe nodes."
                )
            )
        }

        let denied = warnings.filter { ($0.message ?? "").contains("Access denied for user") }
        if let first = denied.first {
            let account =
                (first.message ?? "").firstMatch(of: #/Access denied for user '([^']*)'@'([^']*)'/#)
                .map { "'\($0.1)'@'\($0.2)'" } ?? "the probe's account"
            findings.append(
                Finding(
                    code: .probeAccessDenied,
                    severity: .error,
                    object: pod.displayName,
                    problem: "The probes reach mysqld but it refuses their login as \(account), so the pod never "
                        + "becomes ready.",
                    evidence: denied.prefix(3).map {
                        "event \($0.reason ?? "?") (x\($0.count ?? 1)): \(Self.oneLine($0.message))"
                    },
                    fix: "The data directory keeps the accounts and passwords of its first start; a changed Secret "
                        + "or a probe that logs in as root over TCP (root@'%' may not exist) does not match them. "
                        + "Use the shipped probes: they log in as rewind_probe@127.0.0.1, an account without "
                        + "password or privileges that 10-rewind-user.sh creates. On a data directory made before "
                        + "it existed, create it once: kubectl -n \(namespace) exec -it \(name) -c mysql -- mysql "
                        + "-uroot -p -e \"CREATE USER IF NOT EXISTS 'rewind_probe'@'127.0.0.1' IDENTIFIED BY ''\". "
                        + "To change passwords, run ALTER USER first, then update the Secret "
                        + "(docs/kubernetes.md, \"Rotate the passwords\")."
                )
            )
        }

        let explained =
            !findings.isEmpty || named.contains { $0.object == pod.displayName }
            || pod.claimNames.contains { claim in named.contains { $0.object == "pvc/\(claim)" } }
        guard !explained else { return findings }
        var evidence = ["status.phase: \(pod.status?.phase ?? "?")"]
        for condition in pod.status?.conditions ?? [] where condition.status != "True" {
            evidence.append(
                "condition \(condition.type): \(condition.status ?? "?")"
                    + (condition.reason.map { " (\($0))" } ?? "") + (condition.message.map { ": \($0)" } ?? "")
            )
        }
        for status in pod.allContainerStatuses {
            if let waiting = status.state?.waiting {
                evidence.append(
                    "container \(status.name) waiting: \(waiting.reason ?? "?")"
                        + (waiting.message.map { ": \($0)" } ?? "")
                )
            }
            if let terminated = status.state?.terminated ?? status.lastState?.terminated {
                evidence.append(
                    "container \(status.name) terminated: \(terminated.reason ?? "?") (exit code "
                        + "\(terminated.exitCode.map(String.init) ?? "?"))"
                        + (terminated.message.map { ": \($0)" } ?? "")
                )
            }
            if status.ready == false && status.state?.waiting == nil && status.state?.terminated == nil {
                evidence.append("container \(status.name) runs but is not ready (its readiness probe fails)")
            }
        }
        evidence += warningLines
        findings.append(
            Finding(
                code: .podNotReady,
                severity: .warning,
                object: pod.displayName,
                problem: "The pod is not ready, for a reason rewind doctor has no rule for; what Kubernetes says "
                    + "about it is below.",
                evidence: evidence,
                fix: "Read the reasons and events above, then kubectl describe pod \(name) -n \(namespace) and "
                    + "kubectl logs \(name) -n \(namespace) --all-containers. A pod that only just started may "
                    + "need its startup probe's time (up to 10 minutes on the first start)."
            )
        )
        return findings
    }

    /// An event message on one line: probe output spans several (`mysql: [Warning] ...\nERROR 1045 ...`).
    static func oneLine(_ message: String?) -> String {
        (message ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }.joined(separator: " / ")
    }

    /// `(secret, key)` from the kubelet's `couldn't find key K in Secret NS/NAME` or `secret "NAME" not found`.
    static func missingSecret(in message: String) -> (secret: String, key: String?)? {
        if let match = message.firstMatch(of: #/couldn't find key (\S+) in Secret (?:[^/\s]+/)?([^\s,]+)/#) {
            return (String(match.2), String(match.1))
        }
        if let match = message.firstMatch(of: #/secret "([^"]+)" not found/#) {
            return (String(match.1), nil)
        }
        return nil
    }
}

extension Pod {
    /// Running with the Ready condition true (or, without conditions, every container ready).
    var isReady: Bool {
        if self.status?.phase == "Succeeded" { return true }
        guard self.status?.phase == "Running" else { return false }
        if let ready = self.status?.conditions?.first(where: { $0.type == "Ready" }) {
            return ready.status == "True"
        }
        let statuses = self.status?.containerStatuses ?? []
        return !statuses.isEmpty && statuses.allSatisfy { $0.ready == true }
    }
}
