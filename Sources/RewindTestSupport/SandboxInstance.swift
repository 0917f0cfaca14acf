import Foundation

/// Extra MariaDB instances that a test starts with `scripts/sandbox start NAME -- OPTIONS` and must stop.
///
/// Use ``withInstance(named:options:_:)``: it stops the instance also when the body throws.
package enum SandboxInstance {
    /// The checkout's `scripts/sandbox`.
    package static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/sandbox").path
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Starts instance `name` with extra `mariadbd` options and returns its connection facts.
    package static func start(named name: String, options: [String] = []) throws -> SandboxServer {
        let output = try self.run(["start", name, "--"] + options)
        var environment: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            environment[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        guard let host = environment["REWIND_MYSQL_HOST"], let port = environment["REWIND_MYSQL_PORT"].flatMap(Int.init),
            let passwordFile = environment["REWIND_MYSQL_PASSWORD_FILE"]
        else { throw Failure(description: "scripts/sandbox start \(name) printed no connection facts:\n\(output)") }
        let password = try String(contentsOfFile: passwordFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return SandboxServer(
            host: host, port: port, user: environment["REWIND_MYSQL_USER"] ?? "rewind", password: password,
            socket: environment["REWIND_MYSQL_SOCKET"], binlogDirectory: environment["REWIND_MYSQL_BINLOG_DIR"] ?? "",
            defaultsFile: environment["REWIND_MYSQL_DEFAULTS_FILE"])
    }

    /// Stops instance `name` and removes its directory.
    package static func stop(named name: String) {
        _ = try? self.run(["stop", name])
    }

    /// Starts an instance, runs `body` with it and stops it afterwards.
    package static func withInstance<T>(
        named name: String, options: [String] = [], _ body: (SandboxServer) async throws -> T
    ) async throws -> T {
        let server: SandboxServer
        do {
            server = try self.start(named: name, options: options)
        } catch {
            self.stop(named: name)
            throw error
        }
        do {
            let result = try await body(server)
            self.stop(named: name)
            return result
        } catch {
            self.stop(named: name)
            throw error
        }
    }

    /// Runs `mariadb` as root over the instance's Unix socket and returns its tab-separated output.
    package static func rootQuery(_ sql: String, socket: String) throws -> String {
        try self.run(["--no-defaults", "--socket=\(socket)", "-uroot", "-N", "-B", "-e", sql], executable: "mariadb")
    }

    @discardableResult
    package static func run(_ arguments: [String], executable: String? = nil) throws -> String {
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [self.script] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable ?? "scripts/sandbox") \(arguments.first ?? "") failed: \(output)")
        }
        return output
    }
}
