extension Doctor {
    /// Claims that cannot get a volume: unknown class, no default class, a PV of another class, or still Pending.
    static func storageFindings(_ snapshot: ClusterSnapshot) -> [Finding] {
        var findings: [Finding] = []
        let claims = snapshot.claims.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        for claim in claims {
            let events = snapshot.events(kind: "PersistentVolumeClaim", name: claim.metadata.name)
            let eventLines = events.map { "event \($0.reason ?? "?"): \($0.message ?? "")" }
            let className = claim.spec?.storageClassName
            let mismatch = self.classMismatch(claim, snapshot: snapshot, eventLines: eventLines)
            if let className, !className.isEmpty, claim.isPending {
                let missingByList =
                    snapshot.sawStorageClasses && !snapshot.storageClasses.contains { $0.name == className }
                let missingByEvent = events.contains { ($0.message ?? "").contains("\"\(className)\" not found") }
                if missingByList || missingByEvent {
                    findings.append(self.classNotFound(claim, className: className, snapshot, eventLines))
                    findings += mismatch.map { [$0] } ?? []
                    continue
                }
            }
            if let mismatch {
                findings.append(mismatch)
                continue
            }
            guard claim.isPending else { continue }
            if (className ?? "").isEmpty && snapshot.sawStorageClasses
                && !snapshot.storageClasses.contains(where: \.isDefault)
            {
                findings.append(
                    Finding(
                        code: .noDefaultStorageClass,
                        severity: .error,
                        object: claim.displayName,
                        problem: "The claim names no StorageClass and the cluster has no default one.",
                        evidence: ["StorageClasses: \(self.classList(snapshot))"] + eventLines,
                        fix: "Mark one class as default (the shipped overlays name none, to work on any cluster): "
                            + "kubectl patch storageclass NAME -p '{\"metadata\":{\"annotations\":"
                            + "{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}', or name an existing class "
                            + "in the overlay (storageClassName)."
                    )
                )
                continue
            }
            if events.last?.reason == "WaitForFirstConsumer" { continue }
            findings.append(
                Finding(
                    code: .claimPending,
                    severity: .warning,
                    object: claim.displayName,
                    problem: "The claim is Pending: no volume has been bound to it yet.",
                    evidence: ["status.phase: Pending", "spec.storageClassName: \(className ?? "(none)")"] + eventLines,
                    fix: "Run kubectl describe pvc \(claim.metadata.name ?? "NAME") -n "
                        + "\(claim.metadata.namespace ?? "rewind") and check that the provisioner of its StorageClass "
                        + "is running (kubectl get storageclass shows it)."
                )
            )
        }
        return findings
    }

    private static func classNotFound(
        _ claim: PersistentVolumeClaim,
        className: String,
        _ snapshot: ClusterSnapshot,
        _ eventLines: [String]
    ) -> Finding {
        Finding(
            code: .storageClassNotFound,
            severity: .error,
            object: claim.displayName,
            problem: "The claim asks for StorageClass \"\(className)\", which this cluster does not have.",
            evidence: ["spec.storageClassName: \(className)", "StorageClasses: \(self.classList(snapshot))"]
                + eventLines,
            fix: "Use a class the cluster has, or none. Docker Desktop's classic cluster has only `hostpath` and its "
                + "kind-based cluster (Docker Desktop 4.38+) only `standard`: the shipped overlays "
                + "(deploy/k8s/overlays/docker-desktop, deploy/k8s/overlays/cloud) name no class, so the cluster's "
                + "default class is used. A claim's class cannot be changed: "
                + "kubectl delete pvc \(claim.metadata.name ?? "NAME") -n \(claim.metadata.namespace ?? "rewind"), "
                + "then kubectl apply -k the overlay again."
        )
    }

    /// A PV the claim is bound or meant to bind to, whose class differs from the claim's.
    private static func classMismatch(
        _ claim: PersistentVolumeClaim,
        snapshot: ClusterSnapshot,
        eventLines: [String]
    ) -> Finding? {
        let claimClass = claim.spec?.storageClassName ?? ""
        let candidates: [PersistentVolume]
        if let volumeName = claim.spec?.volumeName, !volumeName.isEmpty {
            candidates = snapshot.volumes.filter { $0.metadata.name == volumeName }
        } else if claim.isPending {
            candidates = snapshot.volumes.filter { volume in
                let reference = volume.spec?.claimRef
                let meant =
                    reference?.name == claim.metadata.name
                    && (reference?.namespace == nil || reference?.namespace == claim.metadata.namespace)
                return meant || (reference == nil && volume.status?.phase == "Available")
            }
        } else {
            return nil
        }
        let mismatched = candidates.filter { ($0.spec?.storageClassName ?? "") != claimClass }
        guard !mismatched.isEmpty else { return nil }
        let volumeLines = mismatched.map { volume in
            "\(volume.displayName): storageClassName \"\(volume.spec?.storageClassName ?? "")\", "
                + "status \(volume.status?.phase ?? "?")" + (volume.nodePath.map { ", hostPath \($0)" } ?? "")
        }
        return Finding(
            code: .storageClassMismatch,
            severity: .error,
            object: claim.displayName,
            problem:
                "The claim and the PersistentVolume meant for it name different StorageClasses, so they never bind.",
            evidence: ["\(claim.displayName): storageClassName \"\(claimClass)\", status \(claim.status?.phase ?? "?")"]
                + volumeLines + eventLines,
            fix: "A claim binds only a volume of the same storageClassName. Prefer dynamic provisioning: delete the "
                + "hand-made volume (kubectl delete pv \(mismatched[0].metadata.name ?? "NAME")) and the claim, and "
                + "apply a shipped overlay (it names no class: the default class provisions the volume). To keep a "
                + "hand-made PV, give the PV "
                + "and the claim the same storageClassName (\"\" on both for none) and recreate the claim."
        )
    }

    static func classList(_ snapshot: ClusterSnapshot) -> String {
        guard snapshot.sawStorageClasses else { return "(not part of the input)" }
        guard !snapshot.storageClasses.isEmpty else { return "(none)" }
        return snapshot.storageClasses.map { $0.name + ($0.isDefault ? " (default)" : "") }.sorted()
            .joined(separator: ", ")
    }
}
