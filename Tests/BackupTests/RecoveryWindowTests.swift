import BackupStorage
import BinlogArchive
import Foundation
import RewindTestSupport
import Testing

@testable import Backup

@Suite struct RecoveryWindowTests {
    private func writeIndex(
        _ directory: String, files: [(String, ArchivedFile.State, TimeInterval)], serverID: UInt32 = 1
    )
        throws
    {
        var index = ArchiveIndex()
        index.serverID = serverID
        index.files = files.map { name, state, last in
            var file = ArchivedFile(name: name, size: 1000, state: state)
            file.firstEventTime = Date(timeIntervalSince1970: last - 50)
            file.lastEventTime = Date(timeIntervalSince1970: last)
            return file
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(index).write(to: URL(fileURLWithPath: directory + "/" + ArchiveIndex.fileName))
        // The files themselves, as large as the index says (the window looks at them on disk).
        for file in index.files {
            try Data(count: Int(file.size)).write(to: URL(fileURLWithPath: directory + "/" + file.name))
        }
    }

    /// The index alone does not vouch for a file: one deleted, or cut short, breaks the chain there.
    @Test(arguments: TestBackupStore.available)
    func aFileGoneOrCutShortOnDiskIsABreak(store kind: TestBackupStore) async throws {
        let binlogs = try TemporaryDirectory()
        defer { binlogs.remove() }
        try await kind.withCatalog("window") { backups, _ in
            try await writeManifest(catalog: backups, time: 1000, file: "mysql-bin.000001")
            try self.writeIndex(
                binlogs.path,
                files: [
                    ("mysql-bin.000001", .complete, 1500), ("mysql-bin.000002", .complete, 2000),
                    ("mysql-bin.000003", .open, 3000),
                ]
            )
            var window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows[0].breakInfo == nil)
            #expect(window.windows[0].to == Date(timeIntervalSince1970: 3000))

            try Data(count: 10).write(to: URL(fileURLWithPath: binlogs.path + "/mysql-bin.000002"))
            window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows[0].breakInfo?.kind == "incomplete-file")
            #expect(window.windows[0].breakInfo?.afterFile == "mysql-bin.000001")
            #expect(
                window.windows[0].breakInfo?.message.contains("is 10 bytes, but the archive's index says 1000") == true)
            #expect(window.windows[0].to == Date(timeIntervalSince1970: 1500))

            try FileManager.default.removeItem(atPath: binlogs.path + "/mysql-bin.000002")
            window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows[0].breakInfo?.kind == "missing-file")
            #expect(window.windows[0].breakInfo?.files == ["mysql-bin.000002"])
            #expect(window.windows[0].to == Date(timeIntervalSince1970: 1500))
        }
    }

    @Test(arguments: TestBackupStore.available)
    func aPurgedFileInTheMiddleSplitsTheWindow(store kind: TestBackupStore) async throws {
        let binlogs = try TemporaryDirectory()
        defer { binlogs.remove() }
        try await kind.withCatalog("window") { backups, _ in
            try await writeManifest(catalog: backups, time: 1000, file: "mysql-bin.000001")
            try await writeManifest(catalog: backups, time: 3500, file: "mysql-bin.000004")
            try self.writeIndex(
                binlogs.path,
                files: [
                    ("mysql-bin.000001", .complete, 1500), ("mysql-bin.000002", .complete, 2000),
                    ("mysql-bin.000004", .complete, 4000), ("mysql-bin.000005", .open, 5000),
                ]
            )
            let window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows.count == 2)
            #expect(window.windows[0].to == Date(timeIntervalSince1970: 2000))
            #expect(window.windows[0].breakInfo?.kind == "missing-file")
            #expect(window.windows[0].breakInfo?.files == ["mysql-bin.000003"])
            #expect(window.windows[0].breakInfo?.afterFile == "mysql-bin.000002")
            #expect(window.windows[1].from == Date(timeIntervalSince1970: 3500))
            #expect(window.windows[1].to == Date(timeIntervalSince1970: 5000))
            #expect(window.windows[1].breakInfo == nil)
            #expect(window.earliest == Date(timeIntervalSince1970: 1000))
            #expect(window.latest == Date(timeIntervalSince1970: 5000))
            #expect(window.breaks.count == 1)
            // Two ranges, never one span over the hole between them.
            #expect(
                window.reachableRanges == [
                    Date(timeIntervalSince1970: 1000)...Date(timeIntervalSince1970: 2000),
                    Date(timeIntervalSince1970: 3500)...Date(timeIntervalSince1970: 5000),
                ])
        }
    }

    @Test(arguments: TestBackupStore.available)
    func anIncompleteFileAndAnotherServerAreBreaks(store kind: TestBackupStore) async throws {
        let binlogs = try TemporaryDirectory()
        defer { binlogs.remove() }
        try await kind.withCatalog("window") { backups, _ in
            try await writeManifest(catalog: backups, time: 1000, file: "mysql-bin.000001")
            try self.writeIndex(
                binlogs.path,
                files: [("mysql-bin.000001", .incomplete, 1500), ("mysql-bin.000002", .complete, 2000)]
            )
            var window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows[0].breakInfo?.kind == "incomplete-file")
            #expect(window.windows[0].to == Date(timeIntervalSince1970: 1500))

            try self.writeIndex(binlogs.path, files: [("mysql-bin.000001", .complete, 1500)], serverID: 9)
            window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows[0].breakInfo?.kind == "other-server")
        }
    }

    @Test(arguments: TestBackupStore.available)
    func aBackupWhoseFileIsNotArchivedSaysSo(store kind: TestBackupStore) async throws {
        let binlogs = try TemporaryDirectory()
        defer { binlogs.remove() }
        try await kind.withCatalog("window") { backups, _ in
            try await writeManifest(catalog: backups, time: 1000, file: "mysql-bin.000001")
            try await writeManifest(catalog: backups, time: 1100, file: "mysql-bin.000001", state: .incomplete)
            try self.writeIndex(binlogs.path, files: [("mysql-bin.000003", .complete, 1500)])
            let window = try await RecoveryWindow.compute(backups: backups, binlogs: binlogs.path)
            #expect(window.windows.count == 1)
            #expect(window.windows[0].breakInfo?.kind == "missing-file")
            #expect(window.windows[0].breakInfo?.message.contains("mysql-bin.000001") == true)
        }
    }
}

/// Another server with the same server_id and file names (MariaDB's default server_id is 1 everywhere): the file the
/// backup starts in must hold the backup's transactions (audit, 2026-12-01: window said "recoverable").
@Suite struct BackupGTIDBreakTests {
    @Test func theFileABackupStartsInMustContinueItsGTIDs() {
        var manifest = makeManifest(time: 1000, file: "mysql-bin.000013", position: 385)
        var file = ArchivedFile(name: "mysql-bin.000013", size: 41_871_961, state: .complete)
        manifest.gtidSet = "1-9-70,0-1-4"
        for (first, broken) in [("0-1-1", false), ("0-1-4", false), ("0-1-5", false), ("0-1-7098", true)] {
            file.firstGTID = first
            let found = RecoveryWindow.backupGTIDBreak(manifest, file)
            #expect((found != nil) == broken, "\(first)")
            if broken {
                #expect(found?.kind == "other-server")
                #expect(
                    found?.message.contains(
                        "up to GTID 0-1-4, but mysql-bin.000013, where it starts, begins at 0-1-7098") == true)
            }
        }
        file.firstGTID = "2-1-500"
        #expect(RecoveryWindow.backupGTIDBreak(manifest, file) == nil, "another domain says nothing")
        manifest.gtidSet = nil
        file.firstGTID = "0-1-7098"
        #expect(RecoveryWindow.backupGTIDBreak(manifest, file) == nil, "no GTIDs: not checked")
    }
}
