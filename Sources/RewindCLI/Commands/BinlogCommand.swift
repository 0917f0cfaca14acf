import ArgumentParser

struct BinlogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binlog",
        abstract: "Read and archive binary logs: list events, count what they changed, copy them from a server.",
        subcommands: [
            BinlogShowCommand.self, BinlogStatsCommand.self, BinlogArchiveCommand.self, BinlogArchiveHealthCommand.self,
        ]
    )
}
