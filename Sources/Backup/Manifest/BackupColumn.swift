/// A stored column of a backed-up table: its name and value kind (`integer`, `text:latin1`, …; see
/// `docs/backup.md`), which says how its literals read back and hash.
public struct BackupColumn: Codable, Hashable, Sendable {
    public var name: String
    public var kind: String

    public init(name: String, kind: String) {
        self.name = name
        self.kind = kind
    }
}
