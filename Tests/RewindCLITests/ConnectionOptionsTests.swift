import ArgumentParser
import MySQLWire
import Testing

@testable import RewindCLI

@Suite struct ConnectionOptionsTests {
    @Test func environmentFillsWhatTheCommandLineLeavesOut() throws {
        let status = try #require(try Rewind.parseAsRoot(["status"]) as? StatusCommand)
        let configuration = try status.connection.makeConfiguration(environment: [
            "MYSQL_HOST": "mysql.rewind.svc", "MYSQL_PORT": "3307", "MYSQL_USER": "app", "MYSQL_PWD": "s3cret",
        ])
        #expect(configuration.endpoint == .tcp(host: "mysql.rewind.svc", port: 3307))
        #expect(configuration.username == "app")
        #expect(configuration.password == "s3cret")
        #expect(!String(describing: configuration).contains("s3cret"))
    }

    @Test func commandLineWinsOverEnvironment() throws {
        let status = try #require(try Rewind.parseAsRoot(["status", "--host", "db", "--port", "3306", "--user", "root"]) as? StatusCommand)
        let configuration = try status.connection.makeConfiguration(environment: [
            "MYSQL_HOST": "other", "MYSQL_TCP_PORT": "9999", "MYSQL_USER": "app",
        ])
        #expect(configuration.endpoint == .tcp(host: "db", port: 3306))
        #expect(configuration.username == "root")
    }

    @Test func passwordIsNotAnOptionWithAValue() {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(["status", "--password", "s3cret"]) }
    }
}
