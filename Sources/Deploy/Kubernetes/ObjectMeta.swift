/// The part of Kubernetes' `ObjectMeta` that `rewind doctor` reads.
package struct ObjectMeta: Codable, Hashable, Sendable {
    package var name: String?
    package var namespace: String?
    package var labels: [String: String]?
    package var annotations: [String: String]?
    /// The controller that made the object (a pod's StatefulSet, ReplicaSet or Job).
    package var ownerReferences: [OwnerReference]?

    package init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
    }
}
