import ArgumentParser
import Backup
import Foundation

/// `rewind backup show DIR/<id>`.
struct BackupShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one backup: server, coordinates, locks, tables with rows, chunks and hashes."
    )

    @Argument(help: "The backup directory (DIR/<id>).")
    var backup: String

    @Option(help: "Output format: text or json (the manifest itself).")
    var format: OutputFormat = .text

    func run() throws {
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.read(backupDirectory: self.backup)
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
