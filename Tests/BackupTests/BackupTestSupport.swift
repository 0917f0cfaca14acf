import BackupStorage
import Foundation

@testable import Backup

/// A temporary directory removed at the end of a test.
struct TemporaryDirectory {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-backup-\(UUID())").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: self.path) }
}

/// A complete manifest of a backup at `time` starting at `file:position`, written into `catalog/<id>/manifest.json`.
@discardableResult
func writeManifest(
    catalog: any BackupStore,
    time: TimeInterval,
    file: String,
    position: UInt64 = 4,
    state: BackupManifest.State = .complete,
    serverID: UInt32 = 1,
    writer: BackupWriter? = nil
) async throws -> BackupManifest {
    let started = Date(timeIntervalSince1970: time)
    var manifest = BackupManifest(
        id: BackupID.make(started),
        server: BackupServer(
            flavor: "mariadb", version: "10.11", serverID: serverID, serverUUID: nil, hostname: "h", port: 3306,
            datadir: "/d", address: "127.0.0.1:3306"
        ),
        startedAt: started,
        threads: 1,
        rewindVersion: "test",
        hashAlgorithm: "rewind-row-xxh64-sum-v1"
    )
    manifest.snapshotAt = started
    manifest.binlog = BinlogCoordinates(file: file, position: position)
    manifest.state = state
    manifest.writer = writer
    try await catalog.descending(into: manifest.id).write(
        [UInt8](try manifest.encoded()), to: BackupManifest.fileName, replacing: true)
    return manifest
}
