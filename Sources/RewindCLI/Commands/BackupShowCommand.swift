import ArgumentParser
import Backup
import Foundation

/// `rewind backup show DIR/<id>|s3://bucket/prefix/<id>`.
struct BackupShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one backup: server, coordinates, locks, tables with rows, chunks and hashes."
    )

    @Argument(help: "The backup: DIR/<id> or s3://bucket/prefix/<id>.")
    var backup: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Output format: text or json (the manifest itself).")
    var format: OutputFormat = .text

    func run() async throws {
        let manifest: BackupManifest
        do {
            manifest = try await self.objectStorage.withBackupStore(self.backup) {
                try await BackupManifest.read(from: $0)
            }
        } catch {
            Diagnostics.print("rewind backup show: \(error)")
            throw ExitCode(1)
        }
        switch self.format {
        case .text: print(BackupCatalogRenderer.showText(manifest, path: self.backup), terminator: "")
        case .json: print(String(decoding: try manifest.encoded(), as: UTF8.self))
        }
    }
}
