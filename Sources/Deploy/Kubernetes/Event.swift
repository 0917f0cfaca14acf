/// A `v1/Event` as `kubectl get events -o json` prints it.
package struct Event: Codable, Hashable, Sendable {
    package var metadata: ObjectMeta
    package var involvedObject: ObjectReference
    package var reason: String?
    package var message: String?
    package var type: String?
    package var count: Int?
    package var lastTimestamp: String?

    /// Whether the event is about the object of this kind and name.
    package func concerns(kind: String, name: String?) -> Bool {
        self.involvedObject.kind == kind && self.involvedObject.name == name
    }
}
