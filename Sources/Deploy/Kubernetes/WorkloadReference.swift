/// The workload that runs a pod, as kubectl names it: `statefulset/mysql`, `deployment/mysql`, `job/restore`.
package struct WorkloadReference: Hashable, Sendable, CustomStringConvertible {
    /// Lower-case kind as kubectl takes it (`statefulset`, `deployment`, `daemonset`, `job`, `replicaset`).
    package var kind: String
    package var name: String

    package init(kind: String, name: String) {
        self.kind = kind
        self.name = name
    }

    /// `kind/name`, for `kubectl scale`, `kubectl rollout` and `kubectl logs`.
    package var description: String { "\(self.kind)/\(self.name)" }

    /// Whether `kubectl scale` can stop it (a Job or a bare pod cannot be scaled).
    package var isScalable: Bool { ["statefulset", "deployment", "replicaset"].contains(self.kind) }
}

extension Pod {
    /// The workload behind the pod, from its controller's owner reference; a ReplicaSet made by a Deployment
    /// (named `DEPLOYMENT-<pod-template-hash>`) is reported as the Deployment. `nil` for a bare pod.
    package var workload: WorkloadReference? {
        let owners = self.metadata.ownerReferences ?? []
        guard let owner = owners.first(where: { $0.controller == true }) ?? owners.first else { return nil }
        if owner.kind == "ReplicaSet", let hash = self.metadata.labels?["pod-template-hash"],
            owner.name.hasSuffix("-" + hash)
        {
            return WorkloadReference(kind: "deployment", name: String(owner.name.dropLast(hash.count + 1)))
        }
        return WorkloadReference(kind: owner.kind.lowercased(), name: owner.name)
    }
}
