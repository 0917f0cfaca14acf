import ArgumentParser

@main
struct Rewind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewind",
        abstract: "Point-in-time recovery for MySQL and MariaDB: read, stream and archive binlogs.",
        version: "0.1.0",
        subcommands: [
            BinlogCommand.self, TimelineCommand.self, StatusCommand.self, DoctorCommand.self, BackupCommand.self,
            WindowCommand.self, FlashbackCommand.self, RestoreCommand.self, ChecksumCommand.self,
        ]
    )

    /// Parses and runs the command, as `AsyncParsableCommand.main()` does, after refusing a password given on
    /// the command line without printing it (``PasswordOnCommandLine``).
    static func main() async {
        MallocArenas.limit()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            try PasswordOnCommandLine.check(arguments)
            var command: any ParsableCommand
            do {
                command = try Self.parseAsRoot(arguments)
            } catch {
                // Never print back a word typed after -p: it may be a password (`backup load DIR -p secret`).
                let message = Self.message(for: error)
                if PasswordOnCommandLine.wordsAfterPasswordFlags(arguments).contains(where: { message.contains($0) }) {
                    throw ValidationError(
                        "the command line could not be parsed, and the parser's message is not shown because it "
                            + "names the word after -p, which may be a password; -p and --password take no value: "
                            + PasswordOnCommandLine.advice + ".")
                }
                throw error
            }
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            StandardOutputFailure.exitIfRecorded()
        } catch {
            StandardOutputFailure.exitIfRecorded()
            Self.exit(withError: error)
        }
    }
}
