import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program a test starts in the background (e.g. `rewind binlog archive --follow`), to signal and wait for.
///
/// Started with `posix_spawn`; its stdout and stderr go to ``outputPath``. Arguments are visible to `ps`, so pass
/// secrets through a defaults file or the environment, as users must.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    package let outputPath: String
    private var status: Int32?

    /// Starts `arguments[0]` (a path) with `arguments`, appending its output to `outputPath`.
    package init(_ arguments: [String], outputPath: String, environment: [String: String]? = nil) throws {
        self.pid = try Self.spawn(arguments, outputPath: outputPath, append: true, environment: environment)
        self.outputPath = outputPath
    }

    /// Starts `arguments[0]` (a path) with stdin from /dev/null and stdout and stderr to `outputPath`.
    static func spawn(
        _ arguments: [String],
        outputPath: String,
        append: Bool,
        environment: [String: String]? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cEnvironment = environmentLines.map { strdup($0) } + [nil]
        defer { for pointer in cEnvironment { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            throw SandboxInstance.Failure(
                description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    package func signal(_ number: Int32) {
        if self.status == nil { kill(self.pid, number) }
    }

    /// Waits for the process to end (off the concurrency pool) and returns its exit status, or 128 + the signal.
    @discardableResult
    package func wait() async -> Int32 {
        if let status { return status }
        let pid = self.pid
        let raw: Int32 = await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }.start()
        }
        // WIFEXITED: low 7 bits zero; else the signal number is in them.
        let result = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        self.status = result
        return result
    }

    /// What the process wrote so far.
    package var output: String {
        FileManager.default.contents(atPath: self.outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The `rewind` executable that `swift build` put beside the test bundle.
    package static var rewindExecutable: String {
        get throws {
            let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            var candidates = [directory.appendingPathComponent("rewind").path]
            // swift-testing may run from inside the .xctest bundle directory on some platforms.
            candidates.append(directory.deletingLastPathComponent().appendingPathComponent("rewind").path)
            guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw SandboxInstance.Failure(
                    description:
                        "no rewind executable beside the tests (looked at \(candidates)); run `swift build` first"
                )
            }
            return path
        }
    }
}
