import Testing

@testable import Backup

/// The server's version string chooses how `backup create` makes its snapshot consistent.
@Suite struct ConsistencyMethodTests {
    @Test(arguments: [
        (false, "8.4.3", ConsistencyMethod.instanceLock(binaryLogStatus: true)),
        (false, "8.0.36", .instanceLock(binaryLogStatus: false)),
        (false, "8.0.36-28", .instanceLock(binaryLogStatus: false)),  // Percona Server
        (false, "8.1.0", .instanceLock(binaryLogStatus: false)),
        (false, "8.2.0", .instanceLock(binaryLogStatus: true)),
        (false, "9.1.0-commercial", .instanceLock(binaryLogStatus: true)),
        (true, "10.11.6-MariaDB-0+deb12u1", .backupStage),
        (true, "5.5.5-10.11.6-MariaDB", .backupStage),
        (true, "11.4.2-MariaDB-log", .backupStage),
        (true, "10.4.34-MariaDB", .backupStage),
    ])
    func choosesByKindAndVersion(isMariaDB: Bool, version: String, expected: ConsistencyMethod) throws {
        #expect(try ConsistencyMethod.select(isMariaDB: isMariaDB, version: version, server: "db:3306") == expected)
    }

    @Test(arguments: [
        (false, "5.7.44-log", "LOCK INSTANCE FOR BACKUP"), (true, "10.3.39-MariaDB", "BACKUP STAGE"),
        (false, "unknown", "cannot read"),
    ])
    func refusesServersWithoutTheLocks(isMariaDB: Bool, version: String, named: String) {
        #expect {
            try ConsistencyMethod.select(isMariaDB: isMariaDB, version: version, server: "db:3306")
        } throws: { error in
            let message = (error as? BackupError)?.message ?? ""
            return message.contains(named) && message.contains("db:3306") && message.contains(version)
        }
    }
}
