import ArgumentParser
import Backup

/// `rewind window --backups DIR --binlogs DIR`.
struct WindowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "window",
        abstract: "Which points in time the backups and archived binlogs can reach, and every break in between.",
        discussion: "Exit 0 when the chains are whole, 3 when there is a break, 1 on an error."
    )

    @Option(help: "The backup catalog directory.")
    var backups: String

    @Option(help: "The binlog archive directory (rewind binlog archive --to).")
    var binlogs: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let window: RecoveryWindow
        do {
            window = try RecoveryWindow.compute(backups: self.backups, binlogs: self.binlogs)
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
