import Foundation
import Logging
import MySQLWire
import RewindTestSupport
import Testing

@testable import BinlogArchive

#if canImport(Glibc)
    import Glibc
#endif

/// Archived binlogs hold every row: the directory is 0700 and every file 0600 whatever the umask, a directory
/// others can write to is refused, and a first run that cannot log in leaves nothing behind.
@Suite struct ArchiveFileModeTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func aDirectoryOthersCanWriteToIsRefused() throws {
        let directory = try ArchiveTestFiles.temporaryDirectory("modes-o+w")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o777)
        let error = #expect(throws: ArchiveError.self) { _ = try ArchiveDirectory(path: directory) }
        #expect(error?.reason.contains("other users can write") == true, "\(String(describing: error))")
        #expect(!Self.exists(directory + "/.rewind-archive.lock"), "nothing is written into a refused directory")
    }

    @Test func aDirectoryOthersCanReadGetsAWarning() throws {
        let directory = try ArchiveTestFiles.temporaryDirectory("modes-o+r")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o755)
        let opened = try ArchiveDirectory(path: directory)
        #expect(opened.warnings.count == 1)
        #expect(opened.warnings.first?.contains("chmod 700") == true)
        #expect(Self.mode(directory + "/.rewind-archive.lock") == 0o600)
    }

    @Test func filesAreOwnerOnlyAndACreatedDirectoryIs0700() throws {
        let parent = try ArchiveTestFiles.temporaryDirectory("modes-new")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let path = parent + "/archive"
        let directory = try ArchiveDirectory(path: path)
        #expect(directory.wasCreated)
        #expect(directory.warnings.isEmpty)
        try directory.save(ArchiveIndex())
        let writer = try ArchiveFileWriter.create(path: directory.filePath("binlog.000001"))
        try writer.sync()
        #expect(Self.mode(path) == 0o700)
        for name in [".rewind-archive.lock", ArchiveIndex.fileName, "binlog.000001"] {
            #expect(Self.mode(path + "/" + name) == 0o600, "\(name)")
        }
    }

    @Test func aResumedFileFromAnOlderArchiveBecomes0600() throws {
        let directory = try ArchiveTestFiles.temporaryDirectory("modes-resume")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/binlog.000001"
        #expect(FileManager.default.createFile(atPath: path, contents: Data([0xFE, 0x62, 0x69, 0x6E])))
        chmod(path, 0o644)
        _ = try ArchiveFileWriter.resume(path: path, from: 4, verifyChecksums: true) { _, _ in }
        #expect(Self.mode(path) == 0o600)
    }

    @Test func aFirstRunThatCannotConnectLeavesNoDirectoryBehind() async throws {
        let parent = try ArchiveTestFiles.temporaryDirectory("modes-login")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let path = parent + "/archive"
        let archiver = BinlogArchiver(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 1), username: "nobody", password: ""),
            options: ArchiveOptions(directory: path, maxAttempts: 1),
            logger: testLogger
        )
        await #expect(throws: MySQLError.self) { _ = try await archiver.run { _ in } }
        #expect(!Self.exists(path), "\(String(describing: try? FileManager.default.contentsOfDirectory(atPath: path)))")
    }

    /// The real binary, with umask 000, against the sandbox: still 0700 and 0600.
    @Test(.enabled(if: SandboxServer.shouldRun, "needs MariaDB (scripts/sandbox start)"))
    func theArchiverKeepsOwnerOnlyModesUnderAPermissiveUmask() async throws {
        let server = try #require(
            SandboxServer.fromEnvironment, "REWIND_MYSQL_* is not set: run `eval $(scripts/sandbox env)`")
        let parent = try ArchiveTestFiles.temporaryDirectory("modes-umask")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let path = parent + "/archive"
        let log = parent + "/log"
        let child = try ChildProcess(
            [
                "/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"", try ChildProcess.rewindExecutable, "binlog",
                "archive",
                "--defaults-file", server.defaultsFile ?? "", "--to", path,
            ],
            outputPath: log
        )
        #expect(await child.wait() == 0, "\(child.output)")
        #expect(Self.mode(path) == 0o700)
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(names.contains(ArchiveIndex.fileName))
        #expect(names.count >= 3, "\(names)")
        for name in names { #expect(Self.mode(path + "/" + name) == 0o600, "\(name)") }

        // A wrong password: exit 1, and no directory.
        let badDefaults = parent + "/bad.cnf"
        try "[client]\nhost=\(server.host)\nport=\(server.port)\nuser=\(server.user)\npassword=wrong-\(UUID())\n"
            .write(toFile: badDefaults, atomically: true, encoding: .utf8)
        let refused = try ChildProcess(
            [
                try ChildProcess.rewindExecutable, "binlog", "archive", "--defaults-file", badDefaults, "--to",
                parent + "/never",
            ],
            outputPath: log
        )
        #expect(await refused.wait() == 1)
        #expect(!Self.exists(parent + "/never"))
    }
}
