import BinlogArchive
import Foundation
import Testing

@testable import Backup

@Suite struct BackupCatalogTests {
    @Test func pruneKeepsTheNewestAndRemovesWhatNoBackupNeeds() throws {
        let catalog = try TemporaryDirectory()
        let binlogs = try TemporaryDirectory()
        defer {
            catalog.remove()
            binlogs.remove()
        }
        let old = try writeManifest(catalog: catalog.path, time: 1000, file: "mysql-bin.000001")
        let middle = try writeManifest(catalog: catalog.path, time: 2000, file: "mysql-bin.000002")
        let newest = try writeManifest(catalog: catalog.path, time: 3000, file: "mysql-bin.000003")
        let running = try writeManifest(catalog: catalog.path, time: 4000, file: "mysql-bin.000003", state: .incomplete)
        var index = ArchiveIndex()
        for number in 1...3 {
            let name = "mysql-bin.00000\(number)"
            FileManager.default.createFile(atPath: binlogs.path + "/" + name, contents: Data([0xFE, 0x62, 0x69, 0x6E]))
            index.files.append(ArchivedFile(name: name, size: 4, state: .complete))
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(index).write(to: URL(fileURLWithPath: binlogs.path + "/" + ArchiveIndex.fileName))

        let dry = try BackupCatalog.prune(directory: catalog.path, keep: 2, keepWithin: nil, binlogs: binlogs.path, dryRun: true)
        #expect(dry.removedBackups == [old.id])
        #expect(dry.removedBinlogs == ["mysql-bin.000001"])
        #expect(FileManager.default.fileExists(atPath: catalog.path + "/" + old.id))

        let plan = try BackupCatalog.prune(directory: catalog.path, keep: 1, keepWithin: nil, binlogs: binlogs.path, dryRun: false)
        #expect(plan.removedBackups == [old.id, middle.id])
        #expect(plan.keptBackups == [newest.id, running.id])
        #expect(plan.removedBinlogs == ["mysql-bin.000001", "mysql-bin.000002"])
        #expect(!FileManager.default.fileExists(atPath: binlogs.path + "/mysql-bin.000002"))
        #expect(FileManager.default.fileExists(atPath: binlogs.path + "/mysql-bin.000003"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let after = try decoder.decode(
            ArchiveIndex.self,
            from: Data(contentsOf: URL(fileURLWithPath: binlogs.path + "/" + ArchiveIndex.fileName))
        )
        #expect(after.files.map(\.name) == ["mysql-bin.000003"])
    }

    @Test func keepWithinNeverRemovesTheNewestComplete() throws {
        let catalog = try TemporaryDirectory()
        defer { catalog.remove() }
        let only = try writeManifest(catalog: catalog.path, time: 1000, file: "mysql-bin.000001")
        let plan = try BackupCatalog.prune(
            directory: catalog.path, keep: nil, keepWithin: 60, binlogs: nil, dryRun: false,
            now: Date(timeIntervalSince1970: 1_000_000)
        )
        #expect(plan.removedBackups.isEmpty)
        #expect(plan.keptBackups == [only.id])
    }

    @Test func listShowsStates() throws {
        let catalog = try TemporaryDirectory()
        defer { catalog.remove() }
        try writeManifest(catalog: catalog.path, time: 1000, file: "mysql-bin.000001", state: .incomplete)
        try FileManager.default.createDirectory(atPath: catalog.path + "/20300101T000000Z", withIntermediateDirectories: true)
        let entries = try BackupCatalog.list(directory: catalog.path)
        #expect(entries.map(\.state) == ["incomplete", "unreadable"])
    }
}
