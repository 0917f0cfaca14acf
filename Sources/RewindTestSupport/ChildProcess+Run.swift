import Foundation

extension ChildProcess {
    /// What a finished program printed (stdout and stderr together) and its exit status.
    package struct Finished: Sendable {
        package var status: Int32
        package var text: String
    }

    /// Runs `executable` with `arguments` to its end, its stdout and stderr going to a temporary file.
    package static func runCapturing(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> Finished {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewind-run-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = try ChildProcess([executable] + arguments, outputPath: output, environment: environment)
        let status = await process.wait()
        return Finished(status: status, text: process.output)
    }
}
