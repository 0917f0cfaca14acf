import ArgumentParser
import Backup

/// `rewind window --backups DIR|s3://… --binlogs DIR|s3://…`.
struct WindowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "window",
        abstract: "Which points in time the backups and archived binlogs can reach, and every break in between.",
        discussion: "Exit 0 when the chains are whole, 3 when there is a break, 1 on an error."
    )

    @Option(help: "The backup catalog: a directory or s3://bucket/prefix (rewind backup create --to).")
    var backups: String

    @Option(help: "The binlog archive: a directory or s3://bucket/prefix (rewind binlog archive --to).")
    var binlogs: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let window: RecoveryWindow
        do {
            let binlogs = try await self.objectStorage.localArchive(self.binlogs)
            window = try await self.objectStorage.withBackupStore(self.backups) { catalog in
                try await RecoveryWindow.compute(backups: catalog, binlogs: binlogs)
            }
        } catch {
            Diagnostics.print("rewind window: \(error)")
            throw ExitCode(1)
        }
        switch self.format {
        case .text: print(BackupCatalogRenderer.windowText(window), terminator: "")
        case .json: print(try BackupCatalogRenderer.windowJSON(window))
        }
        if !window.breaks.isEmpty { throw ExitCode(3) }
    }
}
