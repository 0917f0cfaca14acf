import ArgumentParser

struct BinlogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binlog",
        abstract: "Read binary logs: list events, count what they changed.",
        subcommands: [BinlogShowCommand.self, BinlogStatsCommand.self]
    )
}
