import ArgumentParser
import BinlogFormat
import Foundation
import Logging
import MySQLWire
import Recovery

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "List transactions in commit order and flag the destructive ones, with the commands that undo them.",
        discussion: """
            One line per transaction: commit time, GTID (or file:position), positions, rows inserted/updated/deleted \
            per table, and its statement text. Flagged transactions (drop_table, drop_database, truncate, \
            alter_drop, no_where, large_share, large_count, rate_spike) get their reasons and repair commands. \
            Row counts for large_share come from --backup's manifest, or from 0 for a table created in the window. \
            Exit status 1 when a file is not a binlog, is cut short, does not decode, or a file is missing between \
            two given ones. JSON schema and how each reason is computed: docs/timeline.md.
            """
    )

    @Argument(help: "Binlog files, in order (with --remote: the server's file names; none means all).")
    var files: [String] = []

    @Option(
        help: ArgumentHelp(
            "A directory of binlogs: an archive (rewind-archive.json), a server's binlog directory, or an archive "
                + "in S3 (s3://bucket/prefix)."
        )
    )
    var binlogs: String?

    @OptionGroup var objectStorage: ObjectStorageOptions

    @Flag(name: [.customLong("remote"), .customShort("R")], help: "Read the binlogs from the server.")
    var remote = false

    @Option(
        name: .customLong("connection-server-id"),
        help: "Replica server id for --remote (default 4027000003), as in binlog show.")
    var serverID: UInt32 = 4_027_000_003

    /// `binlog show --server-id` filters events by the server that wrote them; this option here once meant the replica
    /// id. Neither meaning is taken silently: the option is refused with the right name.
    @Option(name: .customLong("server-id"), help: .hidden)
    var ambiguousServerID: UInt32?

    @OptionGroup(title: "Connection (with --remote)") var connection: ConnectionOptions

    @Option(
        help:
            "A backup (DIR/<id> or s3://bucket/prefix/<id>): table schemas (column names) and row counts (large_share)."
    )
    var backup: String?

    @Option(help: "Only transactions committed at or after this time (YYYY-MM-DD HH:MM:SS, in --timezone).")
    var since: DateTimeArgument?

    @Option(help: "Only transactions committed before this time.")
    var until: DateTimeArgument?

    @Option(name: .customLong("database"), help: "Only transactions that touch this database (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("table"), help: "Only transactions that touch this table, as db.table (repeatable).")
    var tables: [String] = []

    @Flag(help: "Only the flagged transactions, with their reasons and repair commands.")
    var suspicious = false

    @Flag(
        inversion: .prefixedNo,
        help: "A chart of rows changed per table over time (default: on a terminal, for windows over 5 minutes)."
    )
    var chart: Bool?

    @Option(help: "large_share: percent of a table's rows deleted or updated in one transaction.")
    var largeShare: Double = 50

    @Option(help: "large_share: and at least this many rows.")
    var largeShareMinRows: Int = 10

    @Option(help: "large_count: rows deleted or updated in one table of unknown size.")
    var largeCount: Int = 1000

    @Option(help: "rate_spike: times the table's usual rows deleted or updated per transaction.")
    var rateSpikeFactor: Double = 50

    @Option(help: "rate_spike: and at least this many rows.")
    var rateSpikeMinRows: Int = 100

    @Flag(inversion: .prefixedNo, help: "Verify CRC32 checksums.")
    var verifyChecksums = true

    @OptionGroup var output: OutputOptions

    func validate() throws {
        let sources =
            (self.binlogs != nil ? 1 : 0) + (self.remote ? 1 : 0) + (!self.files.isEmpty && !self.remote ? 1 : 0)
        if sources == 0 { throw ValidationError("Give binlog files, --binlogs DIR, or --remote.") }
        if sources > 1 { throw ValidationError("Give one of: binlog files, --binlogs DIR, --remote.") }
        if let id = self.ambiguousServerID {
            throw ValidationError(
                "--server-id \(id): the replica id timeline uses for --remote is --connection-server-id (as in binlog "
                    + "show, where --server-id keeps only the events a server wrote, which timeline does not filter on)."
            )
        }
        if !(0 < self.largeShare && self.largeShare <= 100) {
            throw ValidationError("--large-share is a percentage (0 < N ≤ 100), not \(self.largeShare).")
        }
        for table in self.tables where !table.contains(".") {
            throw ValidationError("--table takes db.table, not '\(table)'.")
        }
        let zone = self.output.timezone.timeZone
        if let since = self.since, let until = self.until, since.epochSeconds(in: zone) >= until.epochSeconds(in: zone)
        {
            // An empty window lists nothing and exits 0, which reads as "nothing happened then".
            throw ValidationError("--since is not before --until: no transaction can be in that window.")
        }
    }

    /// The window and `--suspicious`, with times read in `--timezone`.
    func timelineFilter() -> TimelineFilter {
        let zone = self.output.timezone.timeZone
        return TimelineFilter(
            since: self.since.map { $0.epochSeconds(in: zone) * 1_000_000 },
            until: self.until.map { $0.epochSeconds(in: zone) * 1_000_000 },
            databases: Set(self.databases),
            tables: Set(
                self.tables.map { name in
                    let parts = name.split(separator: ".", maxSplits: 1)
                    return QualifiedTable(database: String(parts[0]), table: String(parts.count > 1 ? parts[1] : ""))
                }
            ),
            onlySuspicious: self.suspicious
        )
    }

    var thresholds: TimelineThresholds {
        TimelineThresholds(
            largeShare: self.largeShare / 100,
            largeShareMinimumRows: self.largeShareMinRows,
            largeCount: self.largeCount,
            rateSpikeFactor: self.rateSpikeFactor,
            rateSpikeMinimumRows: self.rateSpikeMinRows
        )
    }

    func run() async throws {
        let zone = self.output.timezone
        let filter = self.timelineFilter()
        let thresholds = self.thresholds
        var logger = Logger(label: "rewind.timeline")
        logger.logLevel = .error
        let progress = Progress()
        let offset = zone.offset()
        let text = TimelineTextRenderer(utcOffset: offset)
        let format = self.output.format
        var line: [UInt8] = []
        let wantsChart = self.chart
        var chart: TimelineChart?
        var out = OutputSink()
        var headerWritten = false
        do {
            var backup: BackupSchema?
            if let text = self.backup { backup = try await self.objectStorage.backupSchema(text) }
            let reader = TimelineReader(
                filter: filter,
                thresholds: thresholds,
                backup: backup,
                verifyChecksums: self.verifyChecksums,
                // Text shows the first 100 characters of a statement; JSON the whole text.
                statementLimit: format == .text ? 1024 : nil
            )
            let input: TimelineInput
            if self.remote {
                input = .remote(
                    files: self.files,
                    configuration: try self.connection.makeConfiguration(),
                    serverID: self.serverID
                )
            } else if let directory = self.binlogs {
                input = .directory(try await self.objectStorage.localArchive(directory))
            } else {
                input = .files(self.files)
            }
            let showProgress: (String, UInt64) -> Void = { file, position in
                progress.update("rewind: reading \(file) at byte \(position)")
            }
            let willList: (TimelineReader.Summary) -> Void = { summary in
                progress.finish()
                guard format == .text, let window = summary.window else { return }
                let long = window.upperBound - window.lowerBound > 300_000_000
                if wantsChart ?? (long && isatty(1) != 0) {
                    chart = TimelineChart(window: window, utcOffset: offset)
                }
            }
            let addToChart: (TimelineTransaction) -> Void = { chart?.add($0) }
            let summary = try await reader.read(
                input,
                logger: logger,
                progress: showProgress,
                willList: willList,
                // The chart's axis needs the window's time range before the first line.
                windowFirst: format == .text && (wantsChart ?? (isatty(1) != 0)),
                visit: addToChart
            ) { transaction in
                progress.finish()
                if format == .text && !headerWritten {
                    out.write(text.header())
                    headerWritten = true
                }
                switch format {
                case .text:
                    out.write(text.render(transaction))
                case .json:
                    line.removeAll(keepingCapacity: true)
                    transaction.appendJSON(to: &line)
                    line.append(0x0A)
                    out.write(bytes: line)
                }
            }
            if format == .text {
                if let chart { out.write(chart.render()) }
                out.write(
                    "# \(summary.transactions) transactions read from \(summary.files.count) file(s), "
                        + "\(summary.listed) listed, \(summary.flagged) flagged\n"
                )
            }
        } catch let error as InspectionError {
            progress.finish()
            out.flush()
            Diagnostics.print("rewind: error: \(error.underlying)")
            throw ExitCode(1)
        } catch let error as RecoveryError {
            progress.finish()
            out.flush()
            Diagnostics.print("rewind: error: \(error)")
            throw ExitCode(1)
        } catch let error as MySQLError {
            progress.finish()
            out.flush()
            Diagnostics.print("rewind: error: \(error)")
            throw ExitCode(1)
        }
        out.flush()
    }
}
