import Backup
import BinlogArchive
import Foundation
import Recovery

/// The binlog files a restore replays, from the backup's coordinates on, and how far they reach unbroken.
struct RestoreChain: Sendable {
    struct File: Hashable, Sendable {
        var name: String
        var path: String
        /// The archive's state of the file (`nil` outside an archive).
        var state: ArchivedFile.State?
    }

    /// Where the chain breaks: events at or after `file:offset` cannot be reached.
    struct Break: Hashable, Sendable {
        var file: String
        var offset: UInt64
        var message: String
        var advice: String
    }

    var files: [File]
    /// Where the reachable part ends, when something is missing after it.
    var breakPoint: Break?
    /// Whether the files came from a Rewind archive (its index vouches for the order and states).
    var isArchive: Bool

    /// Resolves `--binlogs` (an archive directory, a directory of binlogs, or files) from `manifest`'s coordinates.
    ///
    /// - Throws: ``RestoreError/Code/refused`` when the backup's file is not among them.
    static func resolve(_ inputs: [String], manifest: BackupManifest) throws -> RestoreChain {
        guard let coordinates = manifest.binlog else {
            throw RestoreError(
                .refused,
                "backup \(manifest.id) has no binlog coordinates (the source's binlog was off when it was taken): "
                    + "it can be loaded with `rewind backup load`, but no binlog can be replayed on it"
            )
        }
        var isDirectory: ObjCBool = false
        if inputs.count == 1, FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            let directory = inputs[0]
            if let data = FileManager.default.contents(atPath: directory + "/" + ArchiveIndex.fileName) {
                return try self.archive(directory, data: data, manifest: manifest, coordinates: coordinates)
            }
            let listed: [String]
            do {
                listed = try BinlogFileSequence.directory(directory).paths
            } catch {
                throw RestoreError(.refused, "--binlogs \(directory): \(error)")
            }
            return try self.plain(listed, coordinates: coordinates, manifest: manifest, origin: directory)
        }
        for path in inputs where !FileManager.default.fileExists(atPath: path) {
            throw RestoreError(.refused, "--binlogs \(path): no such file or directory")
        }
        return try self.plain(
            inputs, coordinates: coordinates, manifest: manifest, origin: inputs.joined(separator: " "))
    }

    private static func archive(
        _ directory: String, data: Data, manifest: BackupManifest, coordinates: BinlogCoordinates
    ) throws -> RestoreChain {
        let index: ArchiveIndex
        do {
            index = try ArchiveIndex.decode(data)
        } catch {
            throw RestoreError(.refused, "\(directory)/\(ArchiveIndex.fileName) is not readable (\(error))")
        }
        let sorted = index.numberedFiles
        let window = RecoveryWindow.window(for: manifest, files: sorted, index: index)
        guard let first = sorted.firstIndex(where: { $0.name == coordinates.file }) else {
            let message =
                window.breakInfo.map { "\($0.message); \($0.advice)" }
                ?? "\(coordinates.file), where backup \(manifest.id) starts, is not in the archive \(directory)"
            throw RestoreError(.refused, message)
        }
        var files: [File] = []
        var breakPoint: Break?
        for file in sorted[first...] {
            files.append(File(name: file.name, path: directory + "/" + file.name, state: file.state))
            if let info = window.breakInfo, info.afterFile == file.name {
                // An incomplete file is usable up to what was archived; after a missing file or a GTID jump, the
                // last good file is usable whole.
                breakPoint = Break(file: file.name, offset: file.size, message: info.message, advice: info.advice)
                break
            }
        }
        if breakPoint == nil, let info = window.breakInfo {
            throw RestoreError(.refused, "\(info.message); \(info.advice)")
        }
        return RestoreChain(files: files, breakPoint: breakPoint, isArchive: true)
    }

    private static func plain(
        _ paths: [String], coordinates: BinlogCoordinates, manifest: BackupManifest, origin: String
    ) throws -> RestoreChain {
        let names = paths.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        guard let first = names.firstIndex(of: coordinates.file) else {
            throw RestoreError(
                .refused,
                "\(coordinates.file), where backup \(manifest.id) starts (position \(coordinates.position)), is not "
                    + "among the binlogs given (\(origin)): give the directory or files that hold it and every "
                    + "later one"
            )
        }
        let files = (first..<paths.count).map { File(name: names[$0], path: paths[$0], state: nil) }
        return RestoreChain(files: files, breakPoint: nil, isArchive: false)
    }
}
