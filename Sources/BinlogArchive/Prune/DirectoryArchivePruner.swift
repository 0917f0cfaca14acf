import Foundation

/// Prunes an archive directory: the files named before the oldest one needed (never an open one) leave the index
/// first, then the directory. A run cut short leaves files the index no longer names; the next run removes them.
package struct DirectoryArchivePruner: ArchivePruning {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    package var location: String { self.path }

    package func prune(before oldest: BinlogFileName, dryRun: Bool) async throws -> [String] {
        let archive = try ArchiveDirectory(path: self.path)
        var index = try archive.loadIndex()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? [])
            .compactMap(BinlogFileName.init)
        // Never the file an archiver may be writing: one the index says is open, nor the newest. A file the index
        // no longer names is one a prune cut short left behind.
        let open = Set(index.files.filter { $0.state == .open }.map(\.name))
        let newest = names.max()
        let doomed = names.filter { name in
            name.base == oldest.base && name < oldest && name != newest && !open.contains(name.name)
        }.sorted().map(\.name)
        guard !dryRun else { return doomed }
        index.files.removeAll { doomed.contains($0.name) }
        try archive.save(index)
        for name in doomed {
            do {
                try FileManager.default.removeItem(atPath: archive.filePath(name))
            } catch {
                throw ArchiveError("cannot remove it: \(error.localizedDescription)", path: archive.filePath(name))
            }
        }
        return doomed
    }
}
