/// The part of Kubernetes' `ObjectMeta` that `rewind doctor` reads.
package struct ObjectMeta: Codable, Hashable, Sendable {
    package var name: String?
    package var namespace: String?
    package var labels: [String: String]?
    package var annotations: [String: String]?

    package init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}
