import BackupStorage
import BinlogArchive
import Foundation
import ObjectStorage
import RewindTestSupport

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
    let manifest = makeManifest(
        time: time, file: file, position: position, state: state, serverID: serverID, writer: writer)
    try await catalog.descending(into: manifest.id).write(
        [UInt8](try manifest.encoded()), to: BackupManifest.fileName, replacing: true)
    return manifest
}

/// The manifest of a backup at `time` starting at `file:position`.
func makeManifest(
    time: TimeInterval,
    file: String,
    position: UInt64 = 4,
    state: BackupManifest.State = .complete,
    serverID: UInt32 = 1,
    writer: BackupWriter? = nil
) -> BackupManifest {
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
    return manifest
}

extension TestBackupStore {
    /// What is left of an archive: the binlog files it holds (any object of theirs, in S3) and its index's entries.
    typealias ArchiveLeft = @Sendable () async throws -> (files: [String], index: [String])

    /// Runs `body` with an archive of this kind holding `files` (a temporary directory, or a fresh prefix in the S3
    /// sandbox's bucket), what `backup prune --binlogs` prunes it with, and a way to see what is left.
    func withArchive<Result: Sendable>(
        _ label: String,
        _ files: TestArchiveFiles,
        _ body: (_ archive: any ArchivePruning, _ left: ArchiveLeft) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .directory:
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try files.write(directory: directory.path)
            let path = directory.path
            return try await body(DirectoryArchivePruner(path: path)) {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                let index = try ArchiveIndex.decode(
                    Data(contentsOf: URL(fileURLWithPath: path + "/" + ArchiveIndex.fileName)))
                return (names.filter { BinlogFileName($0) != nil }.sorted(), index.files.map(\.name))
            }
        case .s3:
            let sandbox = try S3Sandbox.fromEnvironment()
            let prefix = "it-\(label)-\(UUID().uuidString.lowercased().prefix(8))/"
            return try await sandbox.withClient { client in
                let location = S3Location(bucket: sandbox.bucket, prefix: prefix)
                let left: ArchiveLeft = {
                    let objects = try await client.listObjects(bucket: sandbox.bucket, prefix: prefix + "binlogs/")
                    let names = Set(objects.map { $0.key.split(separator: "/").dropLast().last.map(String.init) ?? "" })
                    let bytes = try await client.getObject(bucket: sandbox.bucket, key: prefix + ArchiveIndex.fileName)
                    return (names.sorted(), try ArchiveIndex.decode(Data(bytes.readableBytesView)).files.map(\.name))
                }
                do {
                    try await files.write(bucket: sandbox.bucket, prefix: prefix, client: client)
                    let result = try await body(S3ArchivePruner(location: location, client: client), left)
                    try await sandbox.removeEverything(under: prefix, client: client)
                    return result
                } catch {
                    try? await sandbox.removeEverything(under: prefix, client: client)
                    throw error
                }
            }
        }
    }
}
