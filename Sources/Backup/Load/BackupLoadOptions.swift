/// How `rewind backup load` loads.
public struct BackupLoadOptions: Sendable {
    public var backupDirectory: String
    public var threads: Int
    /// Load even when the target already holds some of the backup's tables (they are dropped first).
    public var force: Bool

    public init(backupDirectory: String, threads: Int = 4, force: Bool = false) {
        self.backupDirectory = backupDirectory
        self.threads = threads
        self.force = force
    }
}
