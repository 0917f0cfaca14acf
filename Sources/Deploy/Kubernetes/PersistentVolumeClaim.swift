/// A `v1/PersistentVolumeClaim`.
package struct PersistentVolumeClaim: Codable, Hashable, Sendable {
    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?

    package struct Spec: Codable, Hashable, Sendable {
        package var storageClassName: String?
        package var volumeName: String?
        package var accessModes: [String]?
    }

    package struct Status: Codable, Hashable, Sendable {
        /// `Pending`, `Bound` or `Lost`.
        package var phase: String?
    }

    package var displayName: String { "pvc/\(self.metadata.name ?? "?")" }
    package var isPending: Bool { self.status?.phase == "Pending" }
}
