import ArgumentParser
import ObjectCodec
import Testing

@testable import RewindCLI

@Suite struct ObjectStorageArgumentTests {
    @Test func theArchiverTakesCompressionAndAKeyFileButNoCacheDirectory() throws {
        let archive = try #require(
            try Rewind.parseAsRoot([
                "binlog", "archive", "--to", "s3://b/p", "--compress", "zstd", "--encryption-key-file", "/run/key",
            ]) as? BinlogArchiveCommand
        )
        #expect(archive.compress == .zstd && archive.objectStorage.encryptionKeyFile == "/run/key")
        let help = Rewind.helpMessage(for: BinlogArchiveCommand.self, columns: 10_000)
        #expect(!help.contains("--cache-dir"), "--cache-dir is for readers")
        #expect(help.contains("--compress") && help.contains("--encryption-key-file"))
        #expect(throws: (any Error).self) {
            _ = try Rewind.parseAsRoot(["binlog", "archive", "--to", "s3://b/p", "--cache-dir", "/tmp/c"])
        }
    }

    @Test(arguments: [
        ["binlog", "archive", "--to", "/archive", "--compress", "zstd"],
        ["binlog", "archive", "--to", "/archive", "--encryption-key-file", "/run/key"],
        ["binlog", "archive", "--to", "s3://b/p", "--compress", "lz4"],
    ])
    func codecOptionsOutsideS3OrUnknownAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Rewind.parseAsRoot(arguments) }
    }

    @Test(arguments: ["timeline", "window", "restore", "flashback"])
    func readersTakeTheKeyFileAndTheCacheDirectory(command: String) throws {
        let type = try #require(Rewind.configuration.subcommands.first { $0.configuration.commandName == command })
        let help = Rewind.helpMessage(for: type, columns: 10_000)
        #expect(help.contains("--encryption-key-file") && help.contains("--cache-dir"), "\(command)")
    }
}
