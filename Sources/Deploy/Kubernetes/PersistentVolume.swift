/// A `v1/PersistentVolume` (cluster-scoped).
package struct PersistentVolume: Codable, Hashable, Sendable {
    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?

    package struct Spec: Codable, Hashable, Sendable {
        package var storageClassName: String?
        package var claimRef: ObjectReference?
        package var hostPath: HostPath?
        package var local: HostPath?
        package var capacity: [String: String]?
    }

    package struct HostPath: Codable, Hashable, Sendable {
        package var path: String
    }

    package struct Status: Codable, Hashable, Sendable {
        /// `Available`, `Bound`, `Released` or `Failed`.
        package var phase: String?
    }

    package var displayName: String { "pv/\(self.metadata.name ?? "?")" }

    /// The node path behind a hostPath or local volume, if it is one.
    package var nodePath: String? { self.spec?.hostPath?.path ?? self.spec?.local?.path }
}

/// The part of `v1/ObjectReference` used by `claimRef` and `involvedObject`.
package struct ObjectReference: Codable, Hashable, Sendable {
    package var kind: String?
    package var name: String?
    package var namespace: String?
}
