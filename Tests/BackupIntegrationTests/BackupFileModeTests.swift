import Foundation
import RewindTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A backup holds every row: `rewind backup create` makes every directory it creates 0700 and every file 0600
/// whatever the umask (as the archiver does for binlogs), and refuses a catalog directory others can write to.
@Suite(.serialized, .enabled(if: backupSuitesEnabled)) struct BackupFileModeTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// `rewind backup create` run with umask 000, as a permissive shell or service manager would leave it.
    static func create(to catalog: String, defaultsFile: String, log: String) throws -> ChildProcess {
        try ChildProcess(
            [
                "/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"", try ChildProcess.rewindExecutable, "backup", "create",
                "--defaults-file", defaultsFile, "--to", catalog, "--database", "shop", "--threads", "2",
            ],
            outputPath: log
        )
    }

    @Test func aBackupIsOwnerOnlyWhateverTheUmask() async throws {
        try await SandboxInstance.withInstance(named: "bk-modes") { source in
            try await shell(
                """
                \(source.client) <<'SQL'
                CREATE DATABASE shop;
                USE shop;
                CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(200));
                INSERT INTO shop.orders SELECT seq, REPEAT('o', 100) FROM seq_1_to_5000;
                CREATE VIEW shop.big AS SELECT id FROM shop.orders WHERE id > 100;
                CREATE PROCEDURE shop.nothing() BEGIN END;
                SQL
                """
            )
            let defaultsFile = try #require(source.defaultsFile)
            let parent = try temporaryDirectory("modes")
            defer { try? FileManager.default.removeItem(atPath: parent) }
            let catalog = parent + "/backups/nested"  // both levels created by the backup
            let child = try Self.create(to: catalog, defaultsFile: defaultsFile, log: parent + "/log")
            #expect(await child.wait() == 0, "\(child.output)")

            var directories = [parent + "/backups", catalog]
            var files: [String] = []
            let enumerator = try #require(FileManager.default.enumerator(atPath: catalog))
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: catalog + "/" + relative, isDirectory: &isDirectory)
                if isDirectory.boolValue {
                    directories.append(catalog + "/" + relative)
                } else {
                    files.append(relative)
                }
            }
            #expect(files.contains { $0.hasSuffix("/manifest.json") }, "\(files)")
            #expect(files.contains { $0.hasSuffix(".sql.zst") }, "\(files)")
            #expect(files.contains { $0.hasSuffix(".table.sql") }, "\(files)")
            #expect(directories.count >= 6, "catalog, backup, data/, schema/ and a database under each: \(directories)")
            for directory in directories {
                #expect(Self.mode(directory) == 0o700, "\(directory): \(String(Self.mode(directory) ?? 0, radix: 8))")
            }
            for file in files {
                #expect(
                    Self.mode(catalog + "/" + file) == 0o600,
                    "\(file): \(String(Self.mode(catalog + "/" + file) ?? 0, radix: 8))"
                )
            }

            #expect(!child.output.contains("warning: other users can read"), "\(child.output)")

            // A catalog others can read gets a warning (the backup goes on); one others can write to is refused
            // before anything is written into it.
            let readable = parent + "/readable"
            try FileManager.default.createDirectory(atPath: readable, withIntermediateDirectories: false)
            chmod(readable, 0o755)
            let warned = try Self.create(to: readable, defaultsFile: defaultsFile, log: parent + "/log-readable")
            #expect(await warned.wait() == 0, "\(warned.output)")
            #expect(warned.output.contains("warning: other users can read \(readable)"), "\(warned.output)")

            let open = parent + "/open"
            try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
            chmod(open, 0o777)
            let refused = try Self.create(to: open, defaultsFile: defaultsFile, log: parent + "/log-open")
            #expect(await refused.wait() != 0, "\(refused.output)")
            #expect(refused.output.contains("other users can write"), "\(refused.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: open).isEmpty)
        }
    }
}
