import BackupStorage
import Foundation
import MySQLWire
import RewindTestSupport
import Testing

@testable import Backup

/// `--with-grants` on real MariaDB servers: users, roles and grants are backed up (never root or the system
/// accounts unless named), loaded only when asked, and the target's `SHOW GRANTS` equals the source's.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct BackupGrantsTests {
    static let accounts = ["'app'@'%'", "'report'@'10.0.0.%'", "'reader'", "'writer'"]

    static func grants(_ server: SandboxServer) async throws -> [String: String] {
        var found: [String: String] = [:]
        for account in Self.accounts {
            var text = try await server.root("SHOW GRANTS FOR \(account)")
            if !account.hasPrefix("'reader'") && !account.hasPrefix("'writer'") {
                text += try await server.root("SHOW CREATE USER \(account)")
            }
            found[account] = text
        }
        return found
    }

    @Test func usersRolesAndGrantsReachTheTargetOnlyWhenAsked() async throws {
        try await SandboxInstance.withInstance(named: "bk-grants") { source in
            try await shell(
                """
                \(source.client) <<'SQL'
                CREATE DATABASE shop;
                CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(20));
                INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b');
                CREATE PROCEDURE shop.tally() SELECT COUNT(*) FROM shop.orders;
                CREATE ROLE reader;
                GRANT SELECT ON shop.* TO reader;
                CREATE ROLE writer;
                GRANT reader TO writer;
                GRANT INSERT, UPDATE (note) ON shop.orders TO writer;
                CREATE USER 'app'@'%' IDENTIFIED BY 'app-secret' WITH MAX_USER_CONNECTIONS 7;
                GRANT writer TO 'app'@'%';
                SET DEFAULT ROLE writer FOR 'app'@'%';
                GRANT EXECUTE ON PROCEDURE shop.tally TO 'app'@'%';
                CREATE USER 'report'@'10.0.0.%' IDENTIFIED BY 'report-secret';
                GRANT SELECT ON shop.orders TO 'report'@'10.0.0.%' WITH GRANT OPTION;
                GRANT PROCESS ON *.* TO 'report'@'10.0.0.%';
                SQL
                """
            )
            let catalog = try temporaryDirectory("grants")
            defer { try? FileManager.default.removeItem(atPath: catalog) }
            let manifest = try await BackupCreator.create(
                options: BackupCreateOptions(
                    catalog: DirectoryBackupStore(path: catalog), threads: 2, databases: ["shop"], withGrants: true,
                    rewindVersion: "test"
                ),
                configuration: source.configuration(),
                logger: testLogger
            )
            let backup = catalog + "/" + manifest.id
            let grants = try #require(manifest.grants)
            // Every account but root and the system ones (the sandbox's own test user `rewind` is one of them).
            #expect(Set(grants.users).isSuperset(of: ["'app'@'%'", "'report'@'10.0.0.%'"]))
            #expect(
                !grants.users.contains {
                    $0.hasPrefix("'root'") || $0.hasPrefix("'mysql'") || $0.hasPrefix("'mariadb.sys'")
                })
            #expect(Set(grants.roles) == ["'reader'", "'writer'"])
            #expect(manifest.loadOrder.last == grants.file)
            let text = try String(contentsOfFile: backup + "/" + grants.file, encoding: .utf8)
            #expect(!text.contains("root") && !text.contains("mariadb.sys") && !text.contains("PUBLIC"))
            #expect(!text.contains("app-secret"))  // only the hash
            // Reloaded manifests keep the grants.
            #expect(try await BackupManifest.read(backupDirectory: backup).grants == grants)
            _ = try await BackupVerifier.verify(DirectoryBackupStore(path: backup))

            let expected = try await Self.grants(source)
            try await SandboxInstance.withInstance(named: "bk-grants-dst") { target in
                _ = try await BackupLoader.load(
                    options: BackupLoadOptions(backup: DirectoryBackupStore(path: backup), threads: 2),
                    configuration: target.configuration(),
                    logger: testLogger
                )
                let none = try await target.root(
                    "SELECT COUNT(*) FROM mysql.user WHERE User IN ('app', 'report', 'reader', 'writer')")
                #expect(none.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
                _ = try await target.root("DROP DATABASE shop")  // its routine would be there twice

                _ = try await BackupLoader.load(
                    options: BackupLoadOptions(
                        backup: DirectoryBackupStore(path: backup), threads: 2, withGrants: true),
                    configuration: target.configuration(),
                    logger: testLogger
                )
                let loaded = try await Self.grants(target)
                for account in Self.accounts {
                    #expect(loaded[account] == expected[account], "\(account)")
                    #expect(loaded[account]?.isEmpty == false)
                }
                // The password came along: the user can log in to the target with it.
                let login = try await shell(
                    "MYSQL_PWD=app-secret mariadb --no-defaults -h127.0.0.1 -P\(target.port) -uapp -N -e 'SELECT CURRENT_ROLE()'"
                )
                #expect(login.contains("writer"))
            }

            // Root and the system accounts only when named.
            let named = try await BackupCreator.create(
                options: BackupCreateOptions(
                    catalog: DirectoryBackupStore(path: catalog + "/named"), threads: 1, databases: ["shop"],
                    grantAccounts: ["root@localhost", "report"],
                    rewindVersion: "test"
                ),
                configuration: source.configuration(),
                logger: testLogger
            )
            #expect(named.grants?.users == ["'report'@'10.0.0.%'", "'root'@'localhost'"])
            let unknown = await #expect(throws: BackupError.self) {
                try await BackupCreator.create(
                    options: BackupCreateOptions(
                        catalog: DirectoryBackupStore(path: catalog + "/unknown"), threads: 1, databases: ["shop"],
                        grantAccounts: ["nobody"],
                        rewindVersion: "test"
                    ),
                    configuration: source.configuration(),
                    logger: testLogger
                )
            }
            #expect(unknown?.message.contains("nobody") == true)

            // A backup without grants refuses --with-grants on load.
            let plain = try await BackupCreator.create(
                options: BackupCreateOptions(
                    catalog: DirectoryBackupStore(path: catalog + "/plain"), threads: 1, databases: ["shop"],
                    rewindVersion: "test"
                ),
                configuration: source.configuration(),
                logger: testLogger
            )
            let refused = await #expect(throws: BackupError.self) {
                try await BackupLoader.load(
                    options: BackupLoadOptions(
                        backup: DirectoryBackupStore(path: catalog + "/plain/" + plain.id), withGrants: true),
                    configuration: source.configuration(),
                    logger: testLogger
                )
            }
            #expect(refused?.message.contains("--with-grants") == true)
        }
    }
}
