import ArgumentParser
import Backup

/// `rewind backup verify DIR/<id>`.
struct BackupVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read every chunk of a backup and check its rows and hash against the manifest.",
        discussion: "Exit 0 when every chunk matches; 1 naming the first bad file otherwise."
    )

    @Argument(help: "The backup directory (DIR/<id>).")
    var backup: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let log = BackupLog(verb: "verify")
        let summary: BackupVerifier.Summary
        do {
            summary = try BackupVerifier.verify(backupDirectory: self.backup, report: { log.handle($0) })
        } catch {
            log.finish()
            Diagnostics.print("rewind backup verify: \(error)")
            throw ExitCode(1)
        }
        log.finish()
        switch self.format {
        case .text:
            print("\(self.backup): OK, \(summary.tables) tables, \(summary.chunks) chunks, \(summary.rows) rows match the manifest")
        case .json:
            print(
                JSONText.object([
                    ("backup", JSONText.quote(self.backup)), ("ok", "true"), ("tables", "\(summary.tables)"),
                    ("chunks", "\(summary.chunks)"), ("rows", "\(summary.rows)"),
                ])
            )
        }
    }
}
