import ArgumentParser
import Backup

/// `rewind backup list DIR`.
struct BackupListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the backups in a directory: id, state, time, size, coordinates, GTID set."
    )

    @Argument(help: "The backup catalog directory.")
    var directory: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let entries: [BackupCatalogEntry]
        do {
            entries = try BackupCatalog.list(directory: self.directory)
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
