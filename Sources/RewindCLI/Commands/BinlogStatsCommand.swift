import ArgumentParser
import BinlogFormat
import Foundation
import Recovery

struct BinlogStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count transactions, row events and rows per file and per table.",
        discussion: """
            Exit status 1 when an event could not be read (a damaged or cut-short file, a checksum mismatch, a row \
            event without its TABLE_MAP): each error names the file and byte; the counts cover what was read, and \
            with --force-read the reading goes on past bad events.
            """)

    @Argument(help: "Binlog files, in order.")
    var files: [String]

    @Flag(help: "Go on past events that do not decode, where the file's framing allows.")
    var forceRead = false

    @Flag(inversion: .prefixedNo, help: "Verify CRC32 checksums.")
    var verifyChecksums = true

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let progress = Progress()
        let (statistics, errors): (BinlogStatistics, [BinlogDecodingError])
        do {
            (statistics, errors) = try await BinlogStatistics.collect(
                .files(self.files, forceRead: self.forceRead, verifyChecksums: self.verifyChecksums),
                forceRead: self.forceRead
            ) { file, position in
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
            Diagnostics.print(
                "rewind: \(Plural.count(errors.count, "event")) could not be read; the counts above lack "
                    + (errors.count == 1 ? "it" : "them")
                    + (self.forceRead ? "" : " and what follows it in its file (--force-read goes past bad events)")
            )
            throw ExitCode(1)
        }
    }
}
