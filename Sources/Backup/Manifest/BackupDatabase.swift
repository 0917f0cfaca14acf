/// A database of a backup and its schema files (paths relative to the backup directory).
public struct BackupDatabase: Codable, Hashable, Sendable {
    public var name: String
    /// `CREATE DATABASE IF NOT EXISTS …;` and `USE …;`.
    public var schemaFile: String
    /// Views in dependency order, each `CREATE … VIEW`; `nil` when there are none.
    public var viewsFile: String?
    /// Procedures and functions; `nil` when there are none.
    public var routinesFile: String?
    /// Triggers, loaded after the data; `nil` when there are none.
    public var triggersFile: String?
    /// Events; `nil` when there are none.
    public var eventsFile: String?
    public var views: [String]
    public var routines: [String]
    public var triggers: [String]
    public var events: [String]

    public init(name: String, schemaFile: String) {
        self.name = name
        self.schemaFile = schemaFile
        self.views = []
        self.routines = []
        self.triggers = []
        self.events = []
    }
}
