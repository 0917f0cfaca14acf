/// A `v1/Pod` as `kubectl get pods -o json` prints it, reduced to what the diagnosis needs.
package struct Pod: Codable, Hashable, Sendable {
    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?

    package struct Spec: Codable, Hashable, Sendable {
        package var containers: [Container]?
        package var initContainers: [Container]?
        package var volumes: [Volume]?
    }

    package struct Container: Codable, Hashable, Sendable {
        package var name: String
        package var image: String?
        package var command: [String]?
        package var args: [String]?
        package var resources: Resources?
    }

    package struct Resources: Codable, Hashable, Sendable {
        package var requests: [String: String]?
        package var limits: [String: String]?
    }

    package struct Volume: Codable, Hashable, Sendable {
        package var name: String
        package var persistentVolumeClaim: ClaimSource?
        package var hostPath: PersistentVolume.HostPath?
    }

    package struct ClaimSource: Codable, Hashable, Sendable {
        package var claimName: String
    }

    package struct Status: Codable, Hashable, Sendable {
        package var phase: String?
        package var conditions: [Condition]?
        package var containerStatuses: [ContainerStatus]?
        package var initContainerStatuses: [ContainerStatus]?
    }

    /// `v1/PodCondition`: `PodScheduled`, `Initialized`, `ContainersReady`, `Ready`.
    package struct Condition: Codable, Hashable, Sendable {
        package var type: String
        /// `True`, `False` or `Unknown`.
        package var status: String?
        package var reason: String?
        package var message: String?
    }

    /// `v1/ContainerStatus`.
    package struct ContainerStatus: Codable, Hashable, Sendable {
        package var name: String
        package var ready: Bool?
        package var restartCount: Int?
        package var image: String?
        package var state: ContainerState?
        package var lastState: ContainerState?
    }

    /// `v1/ContainerState`: at most one of the three is set.
    package struct ContainerState: Codable, Hashable, Sendable {
        package var waiting: Waiting?
        package var terminated: Terminated?
    }

    package struct Waiting: Codable, Hashable, Sendable {
        package var reason: String?
        package var message: String?
    }

    package struct Terminated: Codable, Hashable, Sendable {
        package var exitCode: Int?
        package var reason: String?
        package var message: String?
    }

    /// `namespace/name`-free display name, e.g. `pod/mysql-0`.
    package var displayName: String { "pod/\(self.metadata.name ?? "?")" }

    /// Statuses of init containers first, then of the app containers.
    package var allContainerStatuses: [ContainerStatus] {
        (self.status?.initContainerStatuses ?? []) + (self.status?.containerStatuses ?? [])
    }

    /// Spec of the (init or app) container with this name.
    package func container(named name: String) -> Container? {
        ((self.spec?.initContainers ?? []) + (self.spec?.containers ?? [])).first { $0.name == name }
    }
}
