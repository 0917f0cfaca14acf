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

    @Option(help: "A backup directory (DIR/<id>): column names from its schema for binlogs without them (-v).")
    var backup: String?

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
        let renderer = ParallelRenderer { item, sink in
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
            var schema = try self.backup.map { try BackupSchema(directory: $0).schema }
            let show = { (item: BinlogInspector.Item) throws in
                var item = item
                if schema != nil {
                    switch item.record.event {
                    case .query: schema?.follow(item.record.event)
                    case .rows, .transactionPayload: item.context = schema?.naming(item.context) ?? item.context
                    default: break
                    }
                }
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
        } catch let error as InspectionError {
            progress.finish()
            try? renderer.flush(into: &out)
            out.flush()
            Diagnostics.print("rewind: error: \(error.underlying)")
            let code = error.underlying.code
            let hint = code == .truncated || code == .notABinlog || code == .encrypted ? "" : "; --force-read goes past bad events"
            Diagnostics.print("rewind: \(error.report.eventsRead) events were read before it\(hint)")
            throw ExitCode(1)
        } catch let error as RecoveryError {
            progress.finish()
            out.flush()
            Diagnostics.print("rewind: error: \(error)")
            throw ExitCode(1)
        } catch let error as MySQLError {
            progress.finish()
            try? renderer.flush(into: &out)
            out.flush()
            Diagnostics.print("rewind: error: \(error)")
            throw ExitCode(1)
        }
        progress.finish()
        if format == .text && started { out.write("DELIMITER ;\n# End of log file\nROLLBACK /* added by rewind */;\n/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n") }
        out.flush()
        if !report.errors.isEmpty {
            for error in report.errors { Diagnostics.print("rewind: error: \(error)") }
            Diagnostics.print("rewind: \(report.errors.count) event(s) could not be read; the output above lacks them")
            throw ExitCode(1)
        }
    }
}
