import ArgumentParser
import Backup

/// `rewind backup list DIR|s3://bucket/prefix`.
struct BackupListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the backups in a directory or S3 prefix: id, state, time, size, coordinates, GTID set.",
        discussion: "Oldest first, by id (the start time) and each backup's manifest, never by upload time."
    )

    @Argument(help: "The backup catalog: a directory or s3://bucket/prefix.")
    var directory: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let entries: [BackupCatalogEntry]
        do {
            entries = try await self.objectStorage.withBackupStore(self.directory) { try await BackupCatalog.list($0) }
        } catch {
            Diagnostics.print("rewind backup list: \(error)")
            throw ExitCode(1)
        }
        switch self.format {
        case .text: print(BackupCatalogRenderer.listText(entries), terminator: "")
        case .json:
            let objects = entries.map {
                BackupCatalogRenderer.summaryObject($0.manifest, id: $0.id, path: $0.path, size: $0.sizeBytes)
            }
            print("[" + objects.joined(separator: ",\n") + "]")
        }
    }
}
