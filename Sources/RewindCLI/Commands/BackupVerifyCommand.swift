import ArgumentParser
import Backup

/// `rewind backup verify DIR/<id>|s3://bucket/prefix/<id>`.
struct BackupVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read every chunk of a backup and check its rows and hash against the manifest.",
        discussion: "Exit 0 when every chunk matches; 1 naming the first bad file otherwise."
    )

    @Argument(help: "The backup: DIR/<id> or s3://bucket/prefix/<id> (chunks are streamed, not copied).")
    var backup: String

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let log = BackupLog(verb: "verify")
        let summary: BackupVerifier.Summary
        do {
            summary = try await self.objectStorage.withBackupStore(self.backup) { store in
                try await BackupVerifier.verify(store, report: { log.handle($0) })
            }
        } catch {
            log.finish()
            Diagnostics.print("rewind backup verify: \(error)")
            throw ExitCode(1)
        }
        log.finish()
        switch self.format {
        case .text:
            print(
                "\(self.backup): OK, \(summary.tables) tables, \(summary.chunks) chunks, \(summary.rows) rows match the manifest"
            )
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
