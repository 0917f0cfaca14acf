/// Everything `rewind doctor` looks at: the objects of one namespace (and the cluster-scoped volumes and classes)
/// and the logs of its troubled containers. Built by ``DoctorInputLoader``; read by ``Doctor``.
package struct ClusterSnapshot: Hashable, Sendable {
    package var pods: [Pod] = []
    package var claims: [PersistentVolumeClaim] = []
    package var volumes: [PersistentVolume] = []
    package var storageClasses: [StorageClass] = []
    package var events: [Event] = []
    package var logs: [ContainerLog] = []
    /// Whether StorageClasses were part of the input; without them "class not found" relies on events alone.
    package var sawStorageClasses = false
    /// Kinds that could not be read (no permission to list them), each with the reason; the diagnosis uses the
    /// rest and the report says what is missing.
    package var unread: [String] = []

    package init() {}

    /// Adds the objects of one `kubectl get -o json` document.
    package mutating func add(_ document: KubernetesDocument, listsStorageClasses: Bool = false) {
        for object in document.objects {
            switch object {
            case .pod(let pod): self.pods.append(pod)
            case .persistentVolumeClaim(let claim): self.claims.append(claim)
            case .persistentVolume(let volume): self.volumes.append(volume)
            case .storageClass(let storageClass):
                self.storageClasses.append(storageClass)
                self.sawStorageClasses = true
            case .event(let event): self.events.append(event)
            case .other: break
            }
        }
        if listsStorageClasses { self.sawStorageClasses = true }
    }

    /// Events about one object, in input order.
    package func events(kind: String, name: String?) -> [Event] {
        self.events.filter { $0.concerns(kind: kind, name: name) }
    }
}
