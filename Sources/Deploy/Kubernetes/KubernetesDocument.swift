/// One object of `kubectl get ... -o json` output, by its `kind`; kinds the doctor does not read are kept by name.
package enum KubernetesObject: Decodable, Hashable, Sendable {
    case pod(Pod)
    case persistentVolumeClaim(PersistentVolumeClaim)
    case persistentVolume(PersistentVolume)
    case storageClass(StorageClass)
    case event(Event)
    case other(kind: String)

    private enum CodingKeys: String, CodingKey { case kind }

    package init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .kind) ?? ""
        switch kind {
        case "Pod": self = .pod(try Pod(from: decoder))
        case "PersistentVolumeClaim": self = .persistentVolumeClaim(try PersistentVolumeClaim(from: decoder))
        case "PersistentVolume": self = .persistentVolume(try PersistentVolume(from: decoder))
        case "StorageClass": self = .storageClass(try StorageClass(from: decoder))
        case "Event": self = .event(try Event(from: decoder))
        default: self = .other(kind: kind)
        }
    }
}

/// A whole `kubectl get -o json` output: a `List` (mixed kinds when several were asked for) or one object.
package struct KubernetesDocument: Decodable, Sendable {
    package var objects: [KubernetesObject]

    private enum CodingKeys: String, CodingKey { case kind, items }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let items = try container.decodeIfPresent([KubernetesObject].self, forKey: .items) {
            self.objects = items
        } else {
            self.objects = [try KubernetesObject(from: decoder)]
        }
    }
}
