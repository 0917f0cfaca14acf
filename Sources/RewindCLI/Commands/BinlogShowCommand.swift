import ArgumentParser
import BinlogFormat
import Foundation
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

            The text output is for reading, not for replaying: rows are ### comments (as mysqlbinlog \
            --base64-output=decode-rows -v prints them), so piping it into mysql does not apply them. To replay \
            binlogs into a server, use `rewind restore`.

            mysqlbinlog's options: -R, -j (--start-position), -f (--force-read), --server-id (only events of \
            that server), --base64-output=decode-rows, --verify-binlog-checksum, -t/--to-last-log (with \
            --remote) mean what they mean there; --connection-server-id is the replica id of --remote. \
            --stop-never is not offered: `rewind binlog archive --follow` keeps a copy of the server's binlog.
            """)

    @Argument(help: "Binlog files, in order (with --remote: the server's file names).")
    var files: [String]

    @Flag(
        name: [.customLong("remote"), .customLong("read-from-remote-server"), .customShort("R")],
        help: "Read the files from the server (a non-blocking binlog dump) instead of the disk."
    )
    var remote = false

    @Option(
        name: .customLong("connection-server-id"),
        help: ArgumentHelp("Replica server id of the --remote binlog dump.", valueName: "id"))
    var connectionServerID: UInt32 = 4_027_000_002

    @Flag(
        name: [.customLong("to-last-log"), .customShort("t")],
        help: "With --remote: read from the first file named to the server's last binlog.")
    var toLastLog = false

    @Flag(help: .hidden)
    var stopNever = false

    @Option(
        name: .customLong("base64-output"),
        help: ArgumentHelp(
            "mysqlbinlog's decode-rows, accepted: rows are never printed as BINLOG base64 statements.",
            valueName: "decode-rows"))
    var base64Output: String?

    @OptionGroup(title: "Connection (with --remote)") var connection: ConnectionOptions

    @Flag(name: .shortAndLong, help: "Decode row events to pseudo-SQL (-vv adds column types).")
    var verbose: Int

    @Flag(
        name: [.customLong("force-read"), .customShort("f")],
        help: "Go on past events that do not decode, where the file's framing allows.")
    var forceRead = false

    @Flag(inversion: .prefixedNo, help: "Verify CRC32 checksums.")
    var verifyChecksums = true

    @Flag(
        name: [.customLong("verify-binlog-checksum"), .customShort("c")],
        help: "mysqlbinlog's name for checking CRC32 checksums, which Rewind does by default.")
    var verifyBinlogChecksum = false

    @Option(
        help:
            "A backup (DIR/<id> or s3://bucket/prefix/<id>): column names from its schema for binlogs without them (-v)."
    )
    var backup: String?

    @OptionGroup var objectStorage: ObjectStorageOptions

    @OptionGroup var filters: BinlogFilterOptions
    @OptionGroup var output: OutputOptions

    /// The first lines of text output: what it is for.
    static let readingNote = """
        # rewind binlog show: this output is for reading. Row changes are ### comments, so piping it into mysql
        # does not apply them; to replay binlogs into a server, use `rewind restore`.

        """

    func validate() throws {
        if let mode = self.base64Output, mode.lowercased() != "decode-rows" {
            throw ValidationError(
                "--base64-output=\(mode): Rewind never prints BINLOG '...' base64 statements; rows are decoded as ### "
                    + "comments with -v, as --base64-output=decode-rows does (the only value accepted)."
                    + " To replay binlogs into a server, use `rewind restore`.")
        }
        if self.stopNever {
            throw ValidationError(
                "--stop-never: `rewind binlog show --remote` reads what the server has and stops. To keep following "
                    + "the server's binlog, run `rewind binlog archive --follow --to DIR` and read the archived files.")
        }
        if self.toLastLog && !self.remote {
            throw ValidationError("--to-last-log reads a server's binlogs: add --remote (local files: name them all).")
        }
        if self.toLastLog && self.files.count != 1 {
            throw ValidationError("--to-last-log takes one file name, the first to read (it reads to the last one).")
        }
        if self.verifyBinlogChecksum && !self.verifyChecksums {
            throw ValidationError("--verify-binlog-checksum and --no-verify-checksums contradict each other: give one.")
        }
        let filter = self.filters.filter(timezone: self.output.timezone)
        if let start = filter.startTime, let stop = filter.stopTime, stop <= start {
            throw ValidationError(
                "--stop-datetime must be later than --start-datetime: nothing lies between them as given "
                    + "(both in --timezone \(self.output.timezone.text)).")
        }
    }

    func run() async throws {
        let inspector = BinlogInspector(
            filter: self.filters.filter(timezone: self.output.timezone), forceRead: self.forceRead)
        let offset = self.output.timezone.offset()
        let text = EventTextRenderer(verbosity: self.verbose, utcOffset: offset)
        let json = EventJSONRenderer(includeRows: self.verbose > 0, utcOffset: offset)
        let format = self.output.format
        let renderer = ParallelRenderer(continuePastErrors: self.forceRead) { entry, sink in
            switch format {
            case .text: try text.render(entry.item, defaultDatabase: entry.defaultDatabase, into: &sink)
            case .json: try json.render(entry.item, into: &sink)
            }
        }
        var defaultDatabase: [UInt8] = []
        var out = OutputSink()
        let progress = Progress()
        // The mysqlbinlog preamble comes with the first event, so a file that cannot be read prints nothing.
        var started = false
        let report: BinlogInspector.Report
        do {
            var schema: SchemaTracker?
            if let text = self.backup { schema = try await self.objectStorage.backupSchema(text).schema }
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
                    out.write(Self.readingNote)
                    out.write(
                        "/*!40019 SET @@session.max_delayed_threads=0*/;\n/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\nDELIMITER /*!*/;\n"
                    )
                }
                started = true
                try renderer.add(item, defaultDatabase: defaultDatabase, into: &out)
                if format == .text {
                    defaultDatabase = EventTextRenderer.defaultDatabase(after: item.record, current: defaultDatabase)
                }
            }
            let reading = { (file: String, position: UInt64) in
                progress.update("rewind: reading \(file) at byte \(position)")
            }
            if self.remote {
                var logger = Logger(label: "rewind.show")
                logger.logLevel = .error
                let configuration = try self.connection.makeConfiguration()
                let files = try await BinlogInspector.remoteFiles(
                    self.files, toLastLog: self.toLastLog, configuration: configuration, logger: logger)
                let source = BinlogEventSource.server(
                    files: files, configuration: configuration, serverID: self.connectionServerID, logger: logger,
                    forceRead: self.forceRead, verifyChecksums: self.verifyChecksums)
                report = try await inspector.read(source, progress: reading, show)
            } else {
                let source = BinlogEventSource.files(
                    self.files, forceRead: self.forceRead, verifyChecksums: self.verifyChecksums)
                report = try await inspector.read(source, progress: reading, show)
            }
            try renderer.flush(into: &out)
        } catch {
            progress.finish()
            try Self.fail(error, renderer: renderer, out: &out)
        }
        progress.finish()
        if format == .text && started {
            out.write(
                "DELIMITER ;\n# End of log file\nROLLBACK /* added by rewind */;\n/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"
            )
        }
        out.flush()
        if !self.remote {
            // Nothing to show is not nothing to say: a file of only the binlog magic (a server that has just opened
            // it, or a copy cut short) would otherwise print nothing at all, as if rewind had not looked.
            for path in self.files
            where (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue == 4 {
                Diagnostics.print(
                    "rewind: \(path) holds no events, only the 4-byte binlog magic (a file the server has just "
                        + "opened, or a copy cut short)")
            }
        }
        let errors: [any Error] = report.errors.map { $0 as any Error } + renderer.errors
        if !errors.isEmpty {
            // --force-read went on: the errors again, after the output, and a non-zero exit.
            for error in errors { Diagnostics.print("rewind: error: \(error)") }
            Diagnostics.print(
                "rewind: \(Plural.count(errors.count, "event")) could not be read; the output above lacks "
                    + (errors.count == 1 ? "it" : "them")
                    + (renderer.cutShort > 0
                        ? " (\(Plural.count(renderer.cutShort, "event")) too large to hold back shown cut short, marked "
                            + "'# rewind: … cut short here')" : "")
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
                error.endsInsideTheEvent
                    ? "rewind: the output ends inside that event (too large to hold back, it was written as it "
                        + "rendered); --force-read goes past bad events"
                    : "rewind: the output ends with the last whole event before it; --force-read goes past bad events"
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
