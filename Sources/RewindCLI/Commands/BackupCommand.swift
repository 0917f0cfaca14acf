import ArgumentParser

/// `rewind backup`: base backups and their catalog.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take, list, check, load and prune consistent logical base backups.",
        subcommands: [
            BackupCreateCommand.self, BackupListCommand.self, BackupShowCommand.self, BackupVerifyCommand.self,
            BackupLoadCommand.self, BackupPruneCommand.self,
        ]
    )
}
