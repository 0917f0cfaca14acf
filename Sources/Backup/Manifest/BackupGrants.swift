/// The users and roles a backup holds (`backup create --with-grants`), and the file with their definitions.
public struct BackupGrants: Codable, Hashable, Sendable {
    /// `grants.sql`, relative to the backup directory: `CREATE ROLE`/`CREATE USER … IF NOT EXISTS`, then every
    /// account's `SHOW GRANTS` lines, roles first.
    public var file: String
    /// The accounts, as `'user'@'host'`.
    public var users: [String]
    /// The roles (MariaDB roles; MySQL accounts that are granted to others).
    public var roles: [String]

    public init(file: String, users: [String], roles: [String]) {
        self.file = file
        self.users = users
        self.roles = roles
    }
}
