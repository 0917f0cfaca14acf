import Foundation
import RewindTestSupport
import Testing

/// Output that cannot be written (a full disk) is never lost silently: the command fails with status 1 and says
/// so on standard error, whether it writes through its own buffered sink or through `print`.
@Suite struct StandardOutputFailureTests {
    static func run(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ChildProcess.rewindExecutable)
        process.arguments = arguments
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.finish() }
        }
        try process.run()
        for await _ in exited {}
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stderr)
    }

    @Test(arguments: [
        ["binlog", "show", "-v"], ["binlog", "show", "--format", "json"], ["binlog", "stats"],
        ["binlog", "stats", "--format", "json"], ["timeline"], ["timeline", "--format", "json"],
    ])
    func aFullDiskFailsTheCommand(command: [String]) async throws {
        guard Fixtures.isAvailable else {
            if Fixtures.isCI { Issue.record("the binlog corpus is missing at \(Fixtures.root.path)") }
            return
        }
        let file = Fixtures.path("MySqlCdc/mysql-bin.000001")
        let run = try await Self.run(command + [file])
        #expect(run.status == 1, "\(command): \(run.stderr)")
        #expect(run.stderr.contains("cannot write standard output: No space left on device"), "\(run.stderr)")
    }
}
