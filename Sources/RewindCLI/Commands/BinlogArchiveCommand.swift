import ArgumentParser
import BinlogArchive
import Dispatch
import Foundation
import Logging
import MySQLWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rewind binlog archive`: copy a server's binlog files into a directory, as a replica receives them.
struct BinlogArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Copy a server's binlog files into a directory, byte for byte, and keep them coming.",
        discussion: """
            Streams the binlog like a replica (COM_BINLOG_DUMP with its own --server-id) and writes each file under \
            its server name, checking every event's CRC32 on the way. An archive directory remembers where it \
            ended (rewind-archive.json: files, sizes, event times, GTIDs, gaps): run the command again, or let \
            --follow reconnect after a failure, and it goes on exactly there; a partial trailing event left by a \
            killed archiver is cut off first. A file the server purged before it was archived is reported as a gap. \
            Without --follow it stops at the end of the server's binlog. SIGINT and SIGTERM stop it cleanly. \
            Progress shows on a terminal; otherwise one structured line per file, gap and retry goes to stderr. \
            Exit status: 0 done, 3 done but the archive has a gap from this run, 1 failed. \
            The user needs REPLICATION SLAVE (MySQL: REPLICATION SLAVE and REPLICATION CLIENT; MariaDB: \
            REPLICATION SLAVE and BINLOG MONITOR).
            """
    )

    /// `--log-format`.
    enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case logfmt, json
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The archive directory (created if missing).", valueName: "dir"))
    var directory: String

    @Flag(help: "Keep streaming new events; reconnect with backoff after failures.")
    var follow = false

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Start an empty archive with this binlog file (default: the oldest).", valueName: "file")
    )
    var fromFile: String?

    @Option(
        name: .customLong("from-gtid"),
        help: ArgumentHelp(
            "Start an empty archive with the file holding the first transaction after this GTID set.",
            valueName: "gtid-set"
        )
    )
    var fromGTID: String?

    @Option(name: .customLong("server-id"), help: "This archiver's replica server id (default 4027000001).")
    var serverID: UInt32 = ArchiveOptions.defaultServerID

    @Option(help: "Seconds between heartbeats of an idle server (silence for 3 of them is a broken connection).")
    var heartbeat: Int = 5

    @Option(help: "Longest wait in seconds between reconnection attempts.")
    var maxBackoff: Int = 30

    @Option(help: "Consecutive failed attempts before giving up (default: 5; with --follow: never give up).")
    var retries: Int?

    @Flag(inversion: .prefixedNo, help: "Verify each event's CRC32 before writing it.")
    var verifyChecksums = true

    @Option(help: "Format of the log lines when stderr is not a terminal: logfmt or json.")
    var logFormat: LogFormat = .logfmt

    func validate() throws {
        if self.fromFile != nil && self.fromGTID != nil {
            throw ValidationError("--from and --from-gtid exclude each other")
        }
        if self.serverID == 0 { throw ValidationError("--server-id must not be 0") }
        if self.heartbeat <= 0 { throw ValidationError("--heartbeat must be positive") }
        if self.maxBackoff <= 0 { throw ValidationError("--max-backoff must be positive") }
        if let retries, retries <= 0 { throw ValidationError("--retries must be positive") }
    }

    func run() async throws {
        let configuration = try self.connection.makeConfiguration()
        var start = ArchiveOptions.Start.oldest
        if let fromFile { start = .file(fromFile) }
        if let fromGTID { start = .gtid(fromGTID) }
        let options = ArchiveOptions(
            directory: self.directory,
            start: start,
            follow: self.follow,
            serverID: self.serverID,
            heartbeatPeriod: .seconds(self.heartbeat),
            maxBackoff: .seconds(self.maxBackoff),
            maxAttempts: self.retries,
            verifyChecksums: self.verifyChecksums
        )
        var logger = Logger(label: "rewind.archive")
        logger.logLevel = .error
        let archiver = BinlogArchiver(configuration: configuration, options: options, logger: logger)
        let log = ArchiveLog(format: self.logFormat, directory: self.directory)

        let task = Task { try await archiver.run(report: log.handle) }
        let signals = SignalCanceller { task.cancel() }
        defer { signals.stop() }
        let summary: ArchiveSummary
        do {
            summary = try await task.value
        } catch {
            log.finish()
            log.line(level: "error", event: "failed", ["error": "\(error)"])
            throw ExitCode(1)
        }
        log.finish()
        var fields = [
            "bytes": "\(summary.bytesArchived)", "files_completed": "\(summary.filesCompleted.count)",
            "gaps": "\(summary.gaps.count)",
        ]
        if let last = summary.index.files.last { fields["ends_at"] = "\(last.name):\(last.size)" }
        log.line(level: summary.gaps.isEmpty ? "info" : "warning", event: "stopped", fields)
        if !summary.gaps.isEmpty { throw ExitCode(3) }
    }
}

/// Turns ``ArchiverEvent``s into a progress line (terminal) or structured log lines (anything else) on stderr.
final class ArchiveLog: @unchecked Sendable {
    private let format: BinlogArchiveCommand.LogFormat
    private let directory: String
    private let progress = Progress()
    private let isTerminal = Diagnostics.isTerminal

    init(format: BinlogArchiveCommand.LogFormat, directory: String) {
        self.format = format
        self.directory = directory
    }

    func handle(_ event: ArchiverEvent) {
        switch event {
        case .connected(let server, let version, let file, let position):
            self.line(
                level: "info",
                event: "connected",
                ["server": server, "version": version, "file": file, "position": "\(position)"]
            )
        case .truncated(let file, let from, let to):
            self.line(
                level: "warning",
                event: "partial_event_cut",
                ["file": file, "from": "\(from)", "to": "\(to)"]
            )
        case .fileStarted(let name):
            if !self.isTerminal { self.line(level: "info", event: "file_started", ["file": name]) }
        case .fileCompleted(let file):
            var fields = [
                "file": file.name, "size": "\(file.size)", "events": "\(file.events)",
                "transactions": "\(file.transactions)", "ending": file.ending ?? "",
            ]
            if let first = file.firstGTID { fields["first_gtid"] = first }
            if let last = file.lastGTID { fields["last_gtid"] = last }
            self.line(level: "info", event: "file_completed", fields)
        case .gap(let gap):
            self.line(
                level: "error",
                event: "gap",
                [
                    "after_file": gap.afterFile ?? "", "after_position": gap.afterPosition.map(String.init) ?? "",
                    "missing": gap.missingFiles.joined(separator: ","), "resumed_at": gap.resumedAt,
                    "reason": gap.reason,
                ]
            )
        case .progress(let file, let position, let bytes):
            self.progress.update(
                "rewind: archiving \(file) at byte \(position) (\(bytes / 1_048_576) MiB this run) into \(self.directory)"
            )
        case .caughtUp(let file, let position):
            self.progress.update("rewind: up to date at \(file):\(position), waiting for new events")
        case .retrying(let error, let attempt, let delay):
            self.line(
                level: "warning",
                event: "retrying",
                ["error": error, "attempt": "\(attempt)", "retry_in_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)"]
            )
        }
    }

    func finish() {
        self.progress.finish()
    }

    /// One log line: `time=… level=… event=… key=value …` (logfmt) or a JSON object.
    func line(level: String, event: String, _ fields: [String: String]) {
        let time = ISO8601DateFormatter().string(from: Date())
        var text: String
        switch self.format {
        case .logfmt:
            text = "time=\(time) level=\(level) event=\(event)"
            for key in fields.keys.sorted() { text += " \(key)=\(Self.logfmtValue(fields[key]!))" }
        case .json:
            var object = ["time": time, "level": level, "event": event]
            object.merge(fields) { current, _ in current }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
        self.progress.finish()
        Diagnostics.print(text)
    }

    private static func logfmtValue(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Cancels a task on SIGINT or SIGTERM (a clean stop: the archiver flushes and saves its index).
final class SignalCanceller: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ cancel: @escaping @Sendable () -> Void) {
        self.sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: cancel)
            source.resume()
            return source
        }
    }

    func stop() {
        for source in self.sources { source.cancel() }
    }
}
