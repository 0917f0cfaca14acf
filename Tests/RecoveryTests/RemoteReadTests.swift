import BinlogFormat
import Foundation
import Logging
import MySQLWire
import Recovery
import RewindTestSupport
import Testing

/// `rewind binlog show --remote`: the events read from the server equal the events read from its file on disk.
@Suite(.enabled(if: SandboxServer.shouldRun, "needs the MariaDB sandbox (scripts/sandbox start)"))
struct RemoteReadTests {
    static let logger = Logger(label: "rewind.tests.recovery")

    @Test(.timeLimit(.minutes(10)))
    func remoteEventsEqualTheFileOnDisk() async throws {
        // Its own instance: other suites flush the shared sandbox's binlog at any moment.
        try await SandboxInstance.withInstance(named: "remote-read") { server in
            try await Self.compare(server)
        }
    }

    static func compare(_ server: SandboxServer) async throws {
        let database = "remote_read_\(UInt32.random(in: 0...UInt32.max))"
        // A closed file: FLUSH, write, FLUSH.
        let file = try await MySQLConnection.withConnection(configuration: server.configuration(), logger: Self.logger)
        {
            connection in
            _ = try await connection.query("FLUSH BINARY LOGS")
            let name = try #require(try await connection.rows("SHOW MASTER STATUS").first?[0].string)
            _ = try await connection.query(
                """
                CREATE DATABASE \(database); CREATE TABLE \(database).t (id INT PRIMARY KEY, v VARCHAR(20), d DATETIME(3));
                INSERT INTO \(database).t VALUES (1, 'één', '2026-11-25 10:00:00.123'), (2, NULL, NULL);
                UPDATE \(database).t SET v = 'two' WHERE id = 2; DELETE FROM \(database).t WHERE id = 1;
                DROP DATABASE \(database)
                """
            )
            _ = try await connection.query("FLUSH BINARY LOGS")
            return name
        }
        let inspector = BinlogInspector()
        var local: [BinlogEventRecord] = []
        _ = try await inspector.read(.files([server.binlogDirectory + "/" + file])) { local.append($0.record) }
        var remote: [BinlogEventRecord] = []
        let report = try await inspector.read(
            .server(
                files: [file], configuration: server.configuration(), serverID: 4_027_000_099, logger: Self.logger)
        ) { remote.append($0.record) }

        #expect(local.count > 10)
        #expect(report.eventsRead == local.count)
        // The server clears the in-use flag and zeroes "created" in the FORMAT_DESCRIPTION it sends; all else is equal.
        #expect(remote.dropFirst().map(\.position) == local.dropFirst().map(\.position))
        #expect(remote.dropFirst() == local.dropFirst())
        #expect(remote.last.map { if case .rotate = $0.event { true } else { false } } == true)

        // A file the server does not have: the server's own error, with its address.
        let error = await #expect(throws: MySQLError.self) {
            try await inspector.read(
                .server(
                    files: ["mysql-bin.999999"], configuration: server.configuration(), serverID: 4_027_000_099,
                    logger: Self.logger)
            ) { _ in }
        }
        #expect(error?.serverError?.code == 1236)

        // What `show --remote` asks first: a wrong name gets the server's list of names, not a bare error 1236.
        let wrong = await #expect(throws: RecoveryError.self) {
            try await BinlogInspector.remoteFiles(
                ["mysql-bin.999999"], toLastLog: false, configuration: server.configuration(), logger: Self.logger)
        }
        #expect(wrong?.description.contains("has no binlog mysql-bin.999999") == true)
        #expect(wrong?.description.contains(file) == true || wrong?.description.contains("…") == true)
        // --to-last-log: from the file named to the server's last one.
        let toLast = try await BinlogInspector.remoteFiles(
            [file], toLastLog: true, configuration: server.configuration(), logger: Self.logger)
        #expect(toLast.first == file)
        #expect(toLast.count >= 2)
    }
}
