import ArgumentParser
import Foundation
import MySQLWire
import RewindTestSupport
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
        let status = try #require(
            try Rewind.parseAsRoot(["status", "--host", "db", "--port", "3306", "--user", "root"]) as? StatusCommand)
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

/// The mysql client's option files and its ways of putting a password on the command line.
@Suite struct OptionFilesAndPasswordTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-cnf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func homeMyCnfClientGroupIsRead() throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[client]\nhost=db.example\nport=3310\nuser=dba\npassword=fromhome\n".write(
            toFile: home + "/.my.cnf", atomically: true, encoding: .utf8)
        let status = try #require(try Rewind.parseAsRoot(["status"]) as? StatusCommand)
        let configuration = try status.connection.makeConfiguration(environment: ["HOME": home, "MYSQL_HOST": "env"])
        #expect(configuration.endpoint == .tcp(host: "db.example", port: 3310))
        #expect(configuration.username == "dba")
        #expect(configuration.password == "fromhome")
    }

    @Test func defaultsExtraFileWinsOverHomeAndDefaultsFileReplacesHome() throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[client]\nuser=dba\npassword=fromhome\nport=3310\n".write(
            toFile: home + "/.my.cnf", atomically: true, encoding: .utf8)
        try "[client]\nuser=extra\n".write(toFile: home + "/extra.cnf", atomically: true, encoding: .utf8)
        let extra = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-extra-file", home + "/extra.cnf"]) as? StatusCommand)
        let merged = try extra.connection.makeConfiguration(environment: ["HOME": home])
        #expect(merged.username == "extra")
        #expect(merged.password == "fromhome")
        #expect(merged.endpoint == .tcp(host: "127.0.0.1", port: 3310))

        let only = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-file", home + "/extra.cnf"]) as? StatusCommand)
        let alone = try only.connection.makeConfiguration(environment: ["HOME": home])
        #expect(alone.username == "extra")
        #expect(alone.password == "")

        let none = try #require(try Rewind.parseAsRoot(["status", "--no-defaults"]) as? StatusCommand)
        #expect(try none.connection.makeConfiguration(environment: ["HOME": home, "USER": "me"]).username == "me")
    }

    /// A line the mysql client refuses, or a port that is no port, names its file and line: never a silent
    /// connection to 127.0.0.1:3306 instead.
    @Test(arguments: [
        ("[client\nport=3310\n", "line 1: [client is neither"), ("[client]\nport=3310\nport=abc\n", "line 3: port=abc"),
        ("[client]\nport=0\n", "line 2: port=0 is not a port number"),
    ])
    func aBrokenOptionFileIsAnError(text: String, expected: String) throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try text.write(toFile: home + "/bad.cnf", atomically: true, encoding: .utf8)
        let status = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-file", home + "/bad.cnf"]) as? StatusCommand)
        let error = #expect(throws: ValidationError.self) { try status.connection.makeConfiguration(environment: [:]) }
        #expect(error?.message.contains(home + "/bad.cnf, " + expected) == true, "\(error?.message ?? "")")
        // The command line's port wins over a bad one in the file.
        if text.contains("port=abc") {
            let given = try #require(
                try Rewind.parseAsRoot(["status", "--defaults-file", home + "/bad.cnf", "-P", "3311"]) as? StatusCommand
            )
            #expect(
                try given.connection.makeConfiguration(environment: [:]).endpoint == .tcp(host: "127.0.0.1", port: 3311)
            )
        }
    }

    /// A TLS file that cannot be read is named with its option before any connection (it was "the server offers no
    /// TLS" from a server without TLS, and a handshake failure from one with it).
    @Test func anUnreadableTLSFileIsNamedWithItsOption() throws {
        // --ssl-cert and --ssl-key go together: the first unreadable one is named.
        for (arguments, named) in [
            (["--ssl-ca", "/nonexistent/tls.pem"], "--ssl-ca /nonexistent/tls.pem"),
            (
                ["--ssl-cert", "/nonexistent/tls.pem", "--ssl-key", "/nonexistent/key.pem"],
                "--ssl-cert /nonexistent/tls.pem"
            ),
            (["--ssl-cert", "/dev/null", "--ssl-key", "/nonexistent/key.pem"], "--ssl-key /nonexistent/key.pem"),
        ] {
            let status = try #require(try Rewind.parseAsRoot(["status"] + arguments) as? StatusCommand)
            let error = #expect(throws: ValidationError.self) {
                try status.connection.makeConfiguration(environment: [:])
            }
            #expect(error?.message == "cannot read \(named): check that the file exists and that you may read it")
        }
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[client]\nssl-ca=/nonexistent/ca.pem\n".write(toFile: home + "/tls.cnf", atomically: true, encoding: .utf8)
        let fromFile = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-file", home + "/tls.cnf"]) as? StatusCommand)
        let error = #expect(throws: ValidationError.self) {
            try fromFile.connection.makeConfiguration(environment: [:])
        }
        #expect(
            error?.message.contains("ssl-ca (from the option file) /nonexistent/ca.pem") == true,
            "\(error?.message ?? "")")
    }

    @Test func missingDefaultsExtraFileIsNamed() throws {
        let status = try #require(
            try Rewind.parseAsRoot(["status", "--defaults-extra-file", "/nonexistent/x.cnf"]) as? StatusCommand)
        let error = #expect(throws: ValidationError.self) { try status.connection.makeConfiguration(environment: [:]) }
        #expect(error?.message.contains("/nonexistent/x.cnf") == true)
    }

    @Test(arguments: [
        ["status", "--password=Sup3rSecret"], ["status", "-pSup3rSecret"],
        ["binlog", "show", "-R", "--pass=Sup3rSecret", "f"],
        ["binlog", "archive", "--to", "/tmp/x", "-uroot", "-pSup3rSecret"], ["status", "-p", "Sup3rSecret"],
        ["binlog", "archive", "--password", "Sup3rSecret", "--to", "/tmp/x"],
        ["checksum", "-h", "127.0.0.1", "-p", "Sup3rSecret"],
        ["backup", "create", "--to", "/tmp/x", "-p", "Sup3rSecret"],
        ["restore", "--backup", "/tmp/b", "--binlogs", "/tmp/a", "--password", "Sup3rSecret"],
    ])
    func passwordOnTheCommandLineIsRefusedWithoutEchoingIt(arguments: [String]) throws {
        let error = #expect(throws: ValidationError.self) { try PasswordOnCommandLine.check(arguments) }
        let message = try #require(error?.message)
        #expect(!message.contains("Sup3rSecret"))
        #expect(message.contains("MYSQL_PWD"))
        #expect(message.contains("--defaults-file"))
        #expect(message.contains("-p"))
    }

    @Test func promptFlagsAndFileNamesAfterDoubleDashAreAccepted() throws {
        try PasswordOnCommandLine.check(["status", "-p", "--user", "root"])
        try PasswordOnCommandLine.check(["status", "--password", "-P3307"])
        try PasswordOnCommandLine.check(["binlog", "show", "--", "-pfile"])
        try PasswordOnCommandLine.check(["binlog", "show", "-R", "--password", "mysql-bin.000001"])
    }

    /// The binary itself: the parser's own error would print the password back, also for a command that takes
    /// positional arguments (where a word after -p may be a file name, so only the parser can tell).
    @Test(arguments: [
        ["status", "--password=Sup3rSecret"], ["backup", "load", "/tmp/no-backup", "-p", "Sup3rSecret"],
        ["backup", "load", "/tmp/no-backup", "--password", "Sup3rSecret"],
    ])
    func theBinaryDoesNotPrintThePassword(arguments: [String]) async throws {
        let output = try await ChildProcess.runCapturing(ChildProcess.rewindExecutable, arguments)
        #expect(output.status == 64)
        #expect(!output.text.contains("Sup3rSecret"), "\(output.text)")
        #expect(output.text.contains("MYSQL_PWD"))
    }
}
