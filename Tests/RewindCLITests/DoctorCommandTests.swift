import ArgumentParser
import Foundation
import Testing

@testable import RewindCLI

/// `rewind doctor --from-dir` on input it cannot read exits 2 (issue 14, item 6); on a fixture with a problem, 1.
@Suite struct DoctorCommandTests {
    private func exitCode(_ arguments: [String]) async throws -> Int32 {
        let command = try #require(try Rewind.parseAsRoot(arguments) as? DoctorCommand)
        do {
            try await command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        }
    }

    @Test func emptyDirectoryExitsTwo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-doctor-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try await self.exitCode(["doctor", "--from-dir", directory]) == 2)
    }

    @Test func fileInsteadOfADirectoryExitsTwo() async throws {
        let file = URL(fileURLWithPath: #filePath).path
        #expect(try await self.exitCode(["doctor", "--from-dir", file]) == 2)
    }

    @Test func fixtureWithAProblemExitsOne() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DeployTests/Fixtures/downgrade-newer-datadir").path
        #expect(try await self.exitCode(["doctor", "--from-dir", fixture, "--format", "json"]) == 1)
    }
}
