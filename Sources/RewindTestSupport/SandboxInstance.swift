import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// `REWIND_SANDBOX_PREFIX` goes before every instance name, so that two checkouts can run their tests at once.
    package static func qualified(_ name: String) -> String {
        (ProcessInfo.processInfo.environment["REWIND_SANDBOX_PREFIX"] ?? "") + name
    }

    /// Starts instance `name` with extra `mariadbd` options and returns its connection facts.
    package static func start(named name: String, options: [String] = []) async throws -> SandboxServer {
        let output = try await self.runOffPool(["start", self.qualified(name), "--"] + options)
        var environment: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            environment[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        guard let host = environment["REWIND_MYSQL_HOST"],
            let port = environment["REWIND_MYSQL_PORT"].flatMap(Int.init),
            let passwordFile = environment["REWIND_MYSQL_PASSWORD_FILE"]
        else { throw Failure(description: "scripts/sandbox start \(name) printed no connection facts:\n\(output)") }
        let password = try String(contentsOfFile: passwordFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return SandboxServer(
            host: host,
            port: port,
            user: environment["REWIND_MYSQL_USER"] ?? "rewind",
            password: password,
            socket: environment["REWIND_MYSQL_SOCKET"],
            binlogDirectory: environment["REWIND_MYSQL_BINLOG_DIR"] ?? "",
            defaultsFile: environment["REWIND_MYSQL_DEFAULTS_FILE"]
        )
    }

    /// Stops instance `name` and removes its directory.
    package static func stop(named name: String) async {
        _ = try? await self.runOffPool(["stop", self.qualified(name)])
    }

    /// Starts an instance, runs `body` with it and stops it afterwards.
    package static func withInstance<T>(
        named name: String,
        options: [String] = [],
        _ body: (SandboxServer) async throws -> T
    ) async throws -> T {
        let server: SandboxServer
        do {
            server = try await self.start(named: name, options: options)
        } catch {
            await self.stop(named: name)
            throw error
        }
        do {
            let result = try await body(server)
            await self.stop(named: name)
            return result
        } catch {
            await self.stop(named: name)
            throw error
        }
    }

    /// Runs `mariadb` as root over the instance's Unix socket and returns its tab-separated output.
    package static func rootQuery(_ sql: String, socket: String) async throws -> String {
        try await self.runOffPool(
            ["--no-defaults", "--socket=\(socket)", "-uroot", "-N", "-B", "-e", sql],
            executable: "mariadb"
        )
    }

    /// ``run(_:executable:)`` on a thread of its own, so that waiting for the child (seconds for a server start) does
    /// not block a thread of the concurrency pool (on 2 cores that would stall every other test).
    package static func runOffPool(_ arguments: [String], executable: String? = nil) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try self.run(arguments, executable: executable) })
            }
            thread.start()
        }
    }

    /// Runs `scripts/sandbox` (or `executable` from `PATH`) and returns its output (stdout and stderr).
    ///
    /// Uses `posix_spawn` and `waitpid` rather than Foundation's `Process`, whose child monitoring stalled the
    /// concurrent test run here; output goes to a file, since `scripts/sandbox start` leaves mariadbd running.
    @discardableResult
    package static func run(_ arguments: [String], executable: String? = nil) throws -> String {
        let argv = executable.map { ["/usr/bin/env", $0] + arguments } ?? ["/bin/bash", self.script] + arguments
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewind-sandbox-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }

        let pid = try ChildProcess.spawn(argv, outputPath: outputPath, append: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // Lossy: tools print raw bytes (mariadb-binlog prints latin1 and binary values as they are).
        let text = (FileManager.default.contents(atPath: outputPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw Failure(description: "\(executable ?? "scripts/sandbox") \(arguments.first ?? "") failed: \(text)")
        }
        return text
    }
}
