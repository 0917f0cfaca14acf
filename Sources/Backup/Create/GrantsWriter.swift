import BackupStorage
import MySQLWire

/// Writes `grants.sql` for `backup create --with-grants`: the server's users and roles (`SHOW CREATE USER`,
/// `CREATE ROLE`) and their privileges (`SHOW GRANTS`), never the root and system accounts unless named.
struct GrantsWriter {
    static let file = "grants.sql"

    let control: MySQLConnection
    let isMariaDB: Bool
    let server: String

    /// An account or role as `mysql.user` lists it.
    struct Account: Hashable, Sendable {
        var user: String
        var host: String
        var isRole: Bool

        /// `'user'@'host'`, or `'role'` for a MariaDB role (whose host is empty).
        var name: String {
            self.isRole && self.host.isEmpty
                ? SQLText.quoted(self.user)
                : SQLText.quoted(self.user) + "@" + SQLText.quoted(self.host)
        }

        /// root, the anonymous user, MariaDB's `mariadb.sys`, `mysql` (the socket account of the server's system
        /// user) and `PUBLIC`, MySQL's `mysql.sys`, `mysql.session`, `mysql.infoschema` (every `mysql.*`): left out
        /// unless named.
        var isSystem: Bool {
            self.user.isEmpty || self.user == "root" || self.user == "mariadb.sys" || self.user == "mysql"
                || self.user == "PUBLIC" || self.user.hasPrefix("mysql.")
        }

        /// Whether `name` (`user` for every host, or `user@host`) names this account.
        func isNamed(by name: String) -> Bool {
            guard let at = name.lastIndex(of: "@") else { return name == self.user }
            return String(name[..<at]) == self.user && String(name[name.index(after: at)...]) == self.host
        }
    }

    /// The accounts to write: `named` ones (system accounts too) or, when none is named, every non-system one.
    static func chosen(_ accounts: [Account], named: [String]) -> [Account] {
        guard !named.isEmpty else { return accounts.filter { !$0.isSystem } }
        return accounts.filter { account in named.contains { account.isNamed(by: $0) } }
    }

    /// Reads the accounts and writes the file into the backup's store.
    ///
    /// - Throws: ``BackupError``: a name in `named` matches no account, or the server refuses (the backup user
    ///   needs `SELECT` on `mysql.*` to read other accounts).
    func write(to store: any BackupStore, named: [String]) async throws -> BackupGrants {
        let roleColumn =
            self.isMariaDB
            ? "is_role"
            : "IF(EXISTS (SELECT 1 FROM mysql.role_edges e WHERE e.FROM_USER = u.User AND e.FROM_HOST = u.Host), "
                + "'Y', 'N')"
        let rows = try await self.rows(
            "listing users and roles (--with-grants)",
            "SELECT u.User, u.Host, \(roleColumn) FROM mysql.user u ORDER BY 3 DESC, 1, 2"
        )
        let all = rows.map {
            Account(user: $0[0].string ?? "", host: $0[1].string ?? "", isRole: $0[2].string == "Y")
        }
        for name in named where !all.contains(where: { $0.isNamed(by: name) }) {
            throw BackupError(
                .usage,
                "--grants-for \(name): \(self.server) has no such user or role (give USER or USER@HOST, as in "
                    + "SELECT User, Host FROM mysql.user)"
            )
        }
        let accounts = Self.chosen(all, named: named)
        if !self.isMariaDB {
            // Password hashes of caching_sha2_password are binary; as hex they survive any client (MySQL 8.0.17+).
            _ = try? await self.control.query("SET SESSION print_identified_with_as_hex = ON")
        }
        var creates: [UInt8] = []
        var grants: [UInt8] = []
        for account in accounts {
            if account.isRole && self.isMariaDB {
                creates += Array("CREATE ROLE IF NOT EXISTS \(account.name);\n".utf8)
            } else {
                let create = try await self.rows(
                    "SHOW CREATE USER \(account.name)",
                    "SHOW CREATE USER \(account.name)"
                )
                guard var text = create.first?[0].byteArray else { continue }
                let prefix = Array("CREATE USER ".utf8)
                if text.starts(with: prefix) {
                    text = prefix + Array("IF NOT EXISTS ".utf8) + text.dropFirst(prefix.count)
                }
                creates += text + Array(";\n".utf8)
            }
            for row in try await self.rows("SHOW GRANTS FOR \(account.name)", "SHOW GRANTS FOR \(account.name)") {
                guard let text = row[0].byteArray else { continue }
                grants += text + Array(";\n".utf8)
            }
        }
        try await store.write(Array("SET NAMES utf8mb4;\n".utf8) + creates + grants, to: Self.file, replacing: false)
        return BackupGrants(
            file: Self.file,
            users: accounts.filter { !$0.isRole }.map(\.name),
            roles: accounts.filter(\.isRole).map(\.name)
        )
    }

    private func rows(_ step: String, _ sql: String) async throws -> [MySQLRow] {
        try await ServerErrors.during(step, server: self.server) { try await self.control.rows(sql) }
    }
}
