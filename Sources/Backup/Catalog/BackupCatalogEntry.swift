/// One backup directory of a catalog: its id, its manifest when it has a readable one, and its size on disk.
public struct BackupCatalogEntry: Sendable {
    public var id: String
    public var path: String
    /// `nil` when `manifest.json` is missing or unreadable (a backup killed before it wrote one).
    public var manifest: BackupManifest?
    public var sizeBytes: UInt64

    /// `complete`, `incomplete`, or `unreadable`.
    public var state: String { self.manifest?.state.rawValue ?? "unreadable" }
    public var isComplete: Bool { self.manifest?.state == .complete }
}
