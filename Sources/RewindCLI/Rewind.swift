import ArgumentParser

@main
struct Rewind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewind",
        abstract: "Point-in-time recovery for MySQL and MariaDB: read, stream and archive binlogs.",
        version: "0.1.0",
        subcommands: [BinlogCommand.self, TimelineCommand.self, StatusCommand.self, DoctorCommand.self]
    )
}
