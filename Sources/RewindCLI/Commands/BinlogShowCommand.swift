import ArgumentParser
import BinlogFormat
import Logging
import MySQLWire
import Recovery

struct BinlogShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the events of binlog files, like mysqlbinlog -v.",
        discussion: """
            Files are read in the order given, from disk or, with --remote, from a server (like mysqlbinlog \
            --read-from-remote-server: the connection options are the mysql client's). Row events print as pseudo-SQL with -v (### INSERT INTO …), \
            with column names as /* name */ where the binlog has them (binlog_row_metadata=FULL). \
            Exit status: 0 when every event was read, 1 when a file was not a binlog, was cut short, \
            had a checksum mismatch or could not be decoded (with --force-read the read goes on past bad \
            events and still exits 1).
            """)

    @Argument(help: "Binlog files, in order (with --remote: the server's file names).")
    var files: [String]

    @Flag(
        name: [.customLong("remote"), .customLong("read-from-remote-server"), .customShort("R")],
        help: "Read the files from the server (a non-blocking binlog dump) instead of the disk."
    )
    var remote = false

    @Option(name: .customLong("server-id"), help: "Replica server id for --remote (default 4027000002).")
    var serverID: UInt32 = 4_027_000_002

    @OptionGroup(title: "Connection (with --remote)") var connection: ConnectionOptions

    @Flag(name: .shortAndLong, help: "Decode row events to pseudo-SQL (-vv adds column types).")
    var verbose: Int

    @Flag(help: "Go on past events that do not decode, where the file's framing allows.")
    var forceRead = false

    @Flag(inversion: .prefixedNo, help: "Verify CRC32 checksums.")
    var verifyChecksums = true

    @OptionGroup var filters: BinlogFilterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let inspector = BinlogInspector(
            filter: self.filters.filter(timezone: self.output.timezone), forceRead: self.forceRead,
            verifyChecksums: self.verifyChecksums)
        let offset = self.output.timezone.offset()
        let text = EventTextRenderer(verbosity: self.verbose, utcOffset: offset)
        let json = EventJSONRenderer(includeRows: self.verbose > 0, utcOffset: offset)
        let format = self.output.format
        let renderer = ParallelRenderer(continuePastErrors: self.forceRead) { item, sink in
            switch format {
            case .text: try text.render(item, into: &sink)
            case .json: try json.render(item, into: &sink)
            }
        }
        var out = OutputSink()
        let progress = Progress()
        // The mysqlbinlog preamble comes with the first event, so a file that cannot be read prints nothing.
        var started = false
        let report: BinlogInspector.Report
        do {
            let show = { (item: BinlogInspector.Item) throws in
                if !started && format == .text {
                    out.write("/*!40019 SET @@session.max_delayed_threads=0*/;\n/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\nDELIMITER /*!*/;\n")
                }
                started = true
                try renderer.add(item, into: &out)
            }
            let reading = { (file: String, position: UInt64) in
                progress.update("rewind: reading \(file) at byte \(position)")
            }
            if self.remote {
                var logger = Logger(label: "rewind.show")
                logger.logLevel = .error
                report = try await inspector.read(
                    remoteFiles: self.files,
                    configuration: try self.connection.makeConfiguration(),
                    serverID: self.serverID,
                    logger: logger,
                    progress: reading,
                    show
                )
            } else {
                report = try inspector.read(paths: self.files, progress: reading, show)
            }
            try renderer.flush(into: &out)
        } catch {
            progress.finish()
            try Self.fail(error, renderer: renderer, out: &out)
        }
        progress.finish()
        if format == .text && started { out.write("DELIMITER ;\n# End of log file\nROLLBACK /* added by rewind */;\n/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n") }
        out.flush()
        let errors: [any Error] = report.errors.map { $0 as any Error } + renderer.errors
        if !errors.isEmpty {
            // --force-read went on: the errors again, after the output, and a non-zero exit.
            for error in errors { Diagnostics.print("rewind: error: \(error)") }
            Diagnostics.print(
                "rewind: \(Plural.count(errors.count, "event")) could not be read; the output above lacks "
                    + (errors.count == 1 ? "it" : "them")
            )
            throw ExitCode(1)
        }
    }

    /// The one way a read ends on an error: the output goes out up to the last whole event before it (never part
    /// of one), then the error naming file and byte, and a summary line; exit status 1.
    private static func fail(_ error: any Error, renderer: ParallelRenderer, out: inout OutputSink) throws -> Never {
        var error = error
        // Events read before the error may still be rendering; one of them may fail first, and then it is the
        // error to report (the output ends before it).
        do {
            try renderer.flush(into: &out)
        } catch let earlier as RenderingError {
            error = earlier
        } catch {}
        out.flush()
        switch error {
        case let error as InspectionError:
            Diagnostics.print("rewind: error: \(error.underlying)")
            let code = error.underlying.code
            let canGoOn = !(code == .truncated || code == .notABinlog || code == .encrypted)
            let hint = canGoOn ? "; --force-read goes past bad events" : ""
            let read = error.report.eventsRead
            Diagnostics.print(
                "rewind: \(Plural.count(read, "event")) \(read == 1 ? "was" : "were") read before it; the output "
                    + "ends with the last whole event before it\(hint)"
            )
        case let error as RenderingError:
            Diagnostics.print("rewind: error: \(error.underlying)")
            Diagnostics.print(
                "rewind: the output ends with the last whole event before it; --force-read goes past bad events"
            )
        case is ExitCode, is ValidationError:
            throw error
        default:
            // Files that cannot be opened, connection failures: sentences naming the file or server.
            Diagnostics.print("rewind: error: \(error)")
        }
        throw ExitCode(1)
    }
}
