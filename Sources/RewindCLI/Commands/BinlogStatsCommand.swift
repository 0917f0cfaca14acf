import ArgumentParser
import BinlogFormat
import Foundation
import Recovery

struct BinlogStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count transactions, row events and rows per file and per table.",
        discussion: "Exit status 1 when a file could not be read to its end (the counts cover what was read).")

    @Argument(help: "Binlog files, in order.")
    var files: [String]

    @Flag(help: "Go on past events that do not decode, where the file's framing allows.")
    var forceRead = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let progress = Progress()
        let (statistics, errors): (BinlogStatistics, [BinlogDecodingError])
        do {
            (statistics, errors) = try BinlogStatistics.collect(paths: self.files, forceRead: self.forceRead) { file, position in
                progress.update("rewind: counting \(file) at byte \(position)")
            }
        } catch let error as RecoveryError {
            progress.finish()
            Diagnostics.print("rewind: error: \(error)")
            throw ExitCode(1)
        }
        progress.finish()
        var out = OutputSink()
        switch self.output.format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            out.write(String(decoding: try encoder.encode(statistics), as: UTF8.self) + "\n")
        case .text:
            out.write(StatsTextRenderer(utcOffset: self.output.timezone.offset()).render(statistics))
        }
        out.flush()
        if !errors.isEmpty {
            for error in errors { Diagnostics.print("rewind: error: \(error)") }
            throw ExitCode(1)
        }
    }
}
