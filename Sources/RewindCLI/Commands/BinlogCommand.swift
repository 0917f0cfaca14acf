import ArgumentParser

struct BinlogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binlog",
        abstract: "Read binary logs.",
        subcommands: []
    )
}
