extension Doctor {
    static let imagePullReasons: Set<String> = [
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
    ]

    /// Image pulls, OOM kills and crash loops of a pod's containers; `causes` are the findings from its logs.
    static func containerFindings(_ pod: Pod, logs: [ContainerLog], causes: [Finding]) -> [Finding] {
        var findings: [Finding] = []
        let namespace = pod.namespaceOrDefault
        for status in pod.allContainerStatuses {
            let spec = pod.container(named: status.name)
            let subject = "container \(status.name)"
            if let waiting = status.state?.waiting, let reason = waiting.reason, self.imagePullReasons.contains(reason)
            {
                let image = spec?.image ?? status.image ?? "?"
                findings.append(
                    Finding(
                        code: .imagePullFailed,
                        severity: .error,
                        object: pod.displayName,
                        problem: "The node cannot pull image \(image) for \(subject).",
                        evidence: ["state.waiting.reason: \(reason)"]
                            + (waiting.message.map { ["state.waiting.message: \($0)"] } ?? []),
                        fix: self.imagePullFix(image)
                    )
                )
            }
            let terminated = [status.state?.terminated, status.lastState?.terminated].compactMap { $0 }
            if let killed = terminated.first(where: { $0.reason == "OOMKilled" }) {
                let limit = spec?.resources?.limits?["memory"]
                findings.append(
                    Finding(
                        code: .oomKilled,
                        severity: .error,
                        object: pod.displayName,
                        problem: "\(subject.prefix(1).uppercased() + subject.dropFirst()) was killed for using more "
                            + "memory than its limit.",
                        evidence: [
                            "terminated.reason: OOMKilled (exit code \(killed.exitCode.map(String.init) ?? "?"))",
                            "resources.limits.memory: \(limit ?? "(none)")",
                            "restartCount: \(status.restartCount ?? 0)",
                        ],
                        fix: status.name == "mysql"
                            ? "Raise the memory limit or lower innodb_buffer_pool_size: keep the buffer pool at most "
                                + "75% of the limit (deploy/k8s/overlays/<overlay>/sizing.cnf and resources.yaml "
                                + "change together; scripts/validate-deploy checks the ratio)."
                            : "Raise resources.limits.memory of \(subject) in the overlay."
                    )
                )
            }
            if status.state?.waiting?.reason == "CrashLoopBackOff" {
                let last = status.lastState?.terminated
                var evidence = [
                    "state.waiting.reason: CrashLoopBackOff", "restartCount: \(status.restartCount ?? 0)",
                ]
                if let last {
                    evidence.append(
                        "lastState.terminated: exit code \(last.exitCode.map(String.init) ?? "?")"
                            + (last.reason.map { " (\($0))" } ?? "")
                    )
                }
                let log = logs.first { $0.container == nil || $0.container == status.name }
                if let log {
                    evidence.append("last log lines\(log.previous ? " (previous run)" : ""):")
                    evidence += log.tail(10).map { "  " + $0 }
                }
                let named =
                    causes.map(\.code.rawValue) + findings.filter { $0.code != .imagePullFailed }.map(\.code.rawValue)
                let fix =
                    named.isEmpty
                    ? "Read why it exits: kubectl logs \(pod.metadata.name ?? "POD") -n \(namespace) -c \(status.name) "
                        + "--previous. The pod restarts on its own once the cause is fixed."
                    : "Fix the cause named above for \(pod.displayName) (\(named.joined(separator: ", "))); the pod "
                        + "then starts on its own (or delete it to retry at once: kubectl delete pod "
                        + "\(pod.metadata.name ?? "POD") -n \(namespace))."
                findings.append(
                    Finding(
                        code: .crashLoopBackOff,
                        severity: .error,
                        object: pod.displayName,
                        problem:
                            "\(subject.prefix(1).uppercased() + subject.dropFirst()) keeps crashing and Kubernetes "
                            + "waits longer before each restart.",
                        evidence: evidence,
                        fix: fix
                    )
                )
            }
        }
        return findings
    }

    static func imagePullFix(_ image: String) -> String {
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        let name = lastComponent.split(separator: ":").first.map(String.init) ?? lastComponent
        if name == "rewind" || lastComponent.hasSuffix(":local") {
            return "Build the image where the cluster can see it: docker build -f deploy/Dockerfile -t rewind:local . "
                + "(Docker Desktop's Kubernetes uses Docker's own image store; keep imagePullPolicy: IfNotPresent). "
                + "On a cloud cluster push it to a registry, set `images:` in deploy/k8s/overlays/cloud, and add "
                + "imagePullSecrets if the registry is private."
        }
        return "Check that \(image) exists (docker pull \(image)), that the node can reach its registry, and that a "
            + "private registry has imagePullSecrets."
    }
}
