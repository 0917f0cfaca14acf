/// One global transaction identifier, in MySQL's or MariaDB's form.
public enum GTID: Hashable, Sendable, CustomStringConvertible {
    /// MySQL: `source_uuid[:tag]:transaction_id`.
    case mysql(uuid: UUID16, tag: String?, sequence: UInt64)
    /// MariaDB: `domain_id-server_id-sequence`.
    case mariadb(domain: UInt32, server: UInt32, sequence: UInt64)

    public var description: String {
        switch self {
        case .mysql(let uuid, let tag, let sequence):
            if let tag { return "\(uuid):\(tag):\(sequence)" }
            return "\(uuid):\(sequence)"
        case .mariadb(let domain, let server, let sequence):
            return "\(domain)-\(server)-\(sequence)"
        }
    }

    /// Parses `uuid:N`, `uuid:tag:N` or `D-S-N`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2 || parts.count == 3, let uuid = UUID16(parts[0]),
            let sequence = UInt64(parts[parts.count - 1])
        {
            self = .mysql(uuid: uuid, tag: parts.count == 3 ? parts[1].lowercased() : nil, sequence: sequence)
            return
        }
        let dashed = text.split(separator: "-", omittingEmptySubsequences: false)
        if dashed.count == 3, let domain = UInt32(dashed[0]), let server = UInt32(dashed[1]),
            let sequence = UInt64(dashed[2])
        {
            self = .mariadb(domain: domain, server: server, sequence: sequence)
            return
        }
        return nil
    }
}
