/// A `storage.k8s.io/v1` `StorageClass` (cluster-scoped).
package struct StorageClass: Codable, Hashable, Sendable {
    package var metadata: ObjectMeta
    package var provisioner: String?
    package var volumeBindingMode: String?

    package var name: String { self.metadata.name ?? "?" }

    /// Whether the cluster gives this class to claims that name none.
    package var isDefault: Bool {
        let key = "storageclass.kubernetes.io/is-default-class"
        return self.metadata.annotations?[key] == "true"
            || self.metadata.annotations?["storageclass.beta.kubernetes.io/is-default-class"] == "true"
    }
}
