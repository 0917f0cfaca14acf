/// The part of `v1/OwnerReference` that names the workload a pod belongs to.
package struct OwnerReference: Codable, Hashable, Sendable {
    package var kind: String
    package var name: String
    package var controller: Bool?

    package init(kind: String, name: String, controller: Bool? = true) {
        self.kind = kind
        self.name = name
        self.controller = controller
    }
}
